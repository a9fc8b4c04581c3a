package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.pair.ClusterDuties;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.membership.ClusterSetup;
import io.duet.cluster.membership.JoinToken;
import io.duet.cluster.membership.MembershipException;
import io.duet.cluster.raft.ClusterClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.duet.appliance.bootstrap.ApplianceMessage.CLUSTER_CREATED;
import static io.duet.appliance.bootstrap.ApplianceMessage.CLUSTER_JOINED;
import static io.duet.appliance.bootstrap.ApplianceMessage.LEFTOVER_VIP_RELEASED;
import static io.duet.appliance.bootstrap.ApplianceMessage.RELEASE_VIPS_FAILED;
import static io.duet.cluster.message.ClusterMessage.NOT_ANOTHER_MEMBER;
import static io.duet.cluster.message.ClusterMessage.STANDALONE;
import static io.duet.cluster.message.ClusterMessage.TOKEN_MALFORMED;

/** {@code duet cluster}: the Raft group of this node. */
@Command(name = "cluster",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Set up and inspect the cluster (the Raft group of this node's cluster.members).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {ClusterCommand.Init.class, ClusterCommand.Token.class, ClusterCommand.Join.class,
                ClusterCommand.Status.class, ClusterCommand.Handoff.class, ClusterCommand.ReleaseVips.class,
                CommandLine.HelpCommand.class})
final class ClusterCommand implements Callable<Integer> {
    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: init, join, token, status, "
                + "handoff or release-vips");
    }

    /** Parses 90s, 30m, 1h, 2d (or ISO-8601 such as PT1H). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            String t = v.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (t.startsWith("p")) {
                    return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> null;
                };
                if (d != null && !d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + v + "' is not a duration such as 90s, 30m, 1h or 2d");
        }
    }

    /** {@code duet cluster init}: the first node creates the cluster CA and join tokens for the others. */
    @Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Create the cluster: its private CA, this node's certificate, and a join token per other member.",
            description = {"%nRun once, on the first proxy node, before its first `duet run` in cluster mode. Creates "
                    + "a private certificate authority (ECDSA P-256) whose certificates the members use for mutual "
                    + "TLS; they trust nothing else. Writes <data.dir>/cluster/tls (keys sealed under the data key, "
                    + "mode 0600) and prints one single-use join token per other member of cluster.members. Start "
                    + "this node, then run each printed `duet cluster join` command on its machine (with --witness ID, "
                    + "the witness's line has --witness; else add it there). `duet cluster token` makes new tokens "
                    + "later."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
                description = "How long the tokens stay valid (90s, 30m, 1h, 2d). Default: ${DEFAULT-VALUE}.")
        Duration ttl;
        @Option(names = "--witness", paramLabel = "ID", description = "The member that runs `duet witness`: its "
                + "printed join command then has --witness, ready to copy.")
        String witness;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            if (witness != null && (witness.equals(b.nodeId()) || !b.clusterMembers().containsKey(witness))) {
                throw new StartupException(NOT_ANOTHER_MEMBER.id(), ExitCodes.USAGE, "--witness '" + witness
                        + "' is not another member of cluster.members " + b.clusterMembers().keySet());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("creating the cluster CA and the member certificate of " + b.nodeId() + " ...");
            out.flush();
            ClusterSetup.Initialised r = ClusterSetup.init(b.site(), ttl, java.time.Clock.systemUTC());
            out.println(CLUSTER_CREATED + " cluster created: CA " + r.pin());
            out.println("  node " + b.nodeId() + ": member certificate for " + b.clusterHost() + ", valid until "
                    + r.certificate().getNotAfter().toInstant());
            out.println("  written to " + ClusterIdentity.dir(b.site()) + " (keys sealed under the data key in "
                    + b.dataDir().resolve("keys") + ")");
            out.println();
            out.println("Next:");
            out.println("  1. start this node: systemctl start duet   (or: duet run)");
            if (!r.tokens().isEmpty()) {
                out.println("  2. run each line on its machine" + (witness == null ? "; add --witness on the witness"
                        : "") + ". Each token works once, until " + java.time.Instant.now().plus(r.ttl())
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ":");
                ClusterSetup.tokenLines(r.tokens(), witness).forEach(out::println);
                out.println("  3. start them (systemctl start duet, or duet-witness), then: duet cluster status");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet cluster token}: a new join token (a replaced machine, an expired token). */
    @Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Make a single-use join token for a member (on a proxy node; it may be running).",
            description = {"%nFor a member that has not joined yet, whose token expired, or whose machine was "
                    + "replaced. The token is valid at this node's join endpoint (cluster.join.port) and names the "
                    + "cluster CA by its SHA-256 pin, so the joining node cannot be fooled by another endpoint."})
    static final class Token implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @Option(names = "--node", paramLabel = "ID", required = true,
                description = "The member that will join with it (one of cluster.members).")
        String node;
        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
                description = "How long the token stays valid (90s, 30m, 1h, 2d). Default: ${DEFAULT-VALUE}.")
        Duration ttl;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            JoinToken t = ClusterSetup.token(b.site(), node, ttl, java.time.Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            out.println("join token " + t.id() + " for " + node + ", single use, valid until "
                    + java.time.Instant.now().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "; on " + node + " run (add --witness on the witness):");
            out.println(ClusterSetup.tokenLines(Map.of(node, t), null).get(0));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet cluster join}: a new member fetches its certificate with a token. */
    @Command(name = "join", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Join the cluster with a token from `duet cluster init` or `duet cluster token`.",
            description = {"%nRun on the joining machine before its first start in cluster mode; its "
                    + "cluster.members must list the same voters as the cluster's. Generates this member's key "
                    + "(it never leaves the machine), trusts the join endpoint only if it shows the CA the token "
                    + "pins, and stores the member certificate in <data.dir>/cluster/tls. A proxy also receives the "
                    + "cluster's data key (so it opens the private keys sealed in the replicated configuration) and "
                    + "the CA key; a witness (--witness) receives neither."})
    static final class Join implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @Option(names = "--token", paramLabel = "TOKEN", required = true,
                description = "The duet-join-v1.… token printed for this node.")
        String token;
        @Option(names = "--witness", description = "This node is the witness: it gets no data key and no CA key.")
        boolean witness;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
                description = "How long to wait for the join endpoint. Default: ${DEFAULT-VALUE}.")
        Duration timeout;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            JoinToken t;
            try {
                t = JoinToken.parse(token);
            } catch (IllegalArgumentException e) {
                throw new StartupException(TOKEN_MALFORMED.id(), ExitCodes.USAGE,
                        e.getMessage().substring(TOKEN_MALFORMED.id().length() + 1));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("joining through " + t.endpoint() + " (CA " + t.pin() + ") as " + b.nodeId()
                    + (witness ? ", witness" : ", proxy") + " ...");
            out.flush();
            ClusterSetup.Joined j = ClusterSetup.join(b.site(), t, witness, timeout, java.time.Clock.systemUTC());
            out.println(CLUSTER_JOINED + " node " + b.nodeId() + " joined the cluster " + j.pin() + " as "
                    + (j.witness() ? "witness" : "proxy") + "; member certificate valid until "
                    + j.certificate().getNotAfter().toInstant());
            out.println(j.witness() ? "  no data key was sent: this witness can open no private key"
                    : "  this node now uses the cluster's data key " + j.dataKeyId());
            out.println("  start it: " + (j.witness() ? "systemctl start duet-witness   (or: duet witness)"
                    : "systemctl start duet   (or: duet run)") + "; then: duet cluster status");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet cluster handoff}: planned failover before an upgrade. */
    @Command(name = "handoff", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Move this node's VIPs to the other proxy (before an upgrade), or take them back with --undo.",
            description = {"%nCommits a handoff: the node's VIPs pass through \"no holder\" until it reports it let "
                    + "go, then the other proxy claims them and announces them (gratuitous ARP), so no two nodes "
                    + "hold one. Then drain and stop the node, upgrade it, start it, and run `duet cluster handoff "
                    + "--undo` to let it hold VIPs again. `duet cluster status` shows the holders."})
    static final class Handoff implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @Option(names = "--node", paramLabel = "ID", description = "The node to hand off (default: this node).")
        String node;
        @Option(names = "--undo", description = "Let the node hold VIPs again.")
        boolean undo;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            if (!b.clustered()) {
                throw new StartupException(STANDALONE.id(), ExitCodes.USAGE, "this node is standalone: set "
                        + "cluster.members (or DUET_CLUSTER_MEMBERS)");
            }
            String target = node != null ? node : b.nodeId();
            if (!b.clusterMembers().containsKey(target)) {
                throw new StartupException(NOT_ANOTHER_MEMBER.id(), ExitCodes.USAGE, "'" + target
                        + "' is not a member of " + b.clusterMembers().keySet());
            }
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers(),
                    ClusterIdentity.forTools(b.site()))) {
                c.handoff(target, !undo);
            } catch (IOException | RuntimeException e) {
                throw new StartupException(ConfigCommand.CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                        + b.clusterMembers().keySet() + " did not commit the handoff: " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(undo ? "node " + target + " may hold VIPs again (failback rules apply)"
                    : "node " + target + " hands its VIPs off; watch them move with: duet cluster status");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet cluster release-vips}: the clean-up after the node's process ended, however it ended. */
    @Command(name = "release-vips", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Remove this node's floating IPs from its interface (run after the node stopped or crashed).",
            description = {"%nThe systemd unit runs this as ExecStopPost, so a node whose process was killed (kill -9, "
                    + "out of memory) does not leave its VIPs on the interface, where the kernel would keep answering "
                    + "ARP for them while the other proxy has taken them over. Removes every VIP of the last applied "
                    + "document found on cluster.interface; needs CAP_NET_ADMIN. Do not run it while the node runs."})
    static final class ReleaseVips implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            PrintWriter out = spec.commandLine().getOut();
            if (!b.clustered() || b.clusterInterface() == null) {
                out.println("no cluster.interface: this node holds no VIPs");
                out.flush();
                return ExitCodes.OK;
            }
            io.duet.cluster.raft.Revision last = io.duet.cluster.raft.ClusterNode.lastApplied(
                    ClusterDuties.settings(b).dataDir());
            java.util.Set<String> configured = new java.util.TreeSet<>();
            if (last.revision() > 0) {
                for (io.duet.cluster.vip.VipSpec v : ClusterDuties.vipsOf(last.document())) {
                    configured.add(v.address());
                }
            }
            io.duet.cluster.vip.IpCommandActuator ip = new io.duet.cluster.vip.IpCommandActuator(
                    b.clusterInterface(), java.util.List.of());
            try {
                java.util.Set<String> present = ip.present(configured);
                for (String a : new java.util.TreeSet<>(present)) {
                    ip.release(a);
                    out.println(LEFTOVER_VIP_RELEASED + " removed VIP " + a + " from " + b.clusterInterface());
                }
                ip.removeGates();
                if (present.isEmpty()) {
                    out.println("no VIP of revision " + last.revision() + " on " + b.clusterInterface());
                }
                ip.admitAll(); // a drain's hold-back of new connections, if the process ended during one
                ip.unrelayAll(); // a relay of a VIP handed over to this node, if the process ended during one
            } catch (io.duet.cluster.vip.VipActuator.VipException e) {
                throw new StartupException(RELEASE_VIPS_FAILED.id(), ExitCodes.STARTUP, e.getMessage(), e);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet cluster status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Show members, roles, leader, term, commit and applied index, revision, VIP owners, heartbeats.",
            description = {"%nAsks every member for its own view, and the leader for the replicated state. Exit 0 "
                    + "when the group has a leader, 3 when it has none or cannot be reached."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        ClusterCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException, MembershipException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            if (!b.clustered()) {
                throw new StartupException(STANDALONE.id(), ExitCodes.USAGE, "this node is standalone: set "
                        + "cluster.members (or DUET_CLUSTER_MEMBERS) to see a cluster");
            }
            ClusterClient.View v;
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers(),
                    ClusterIdentity.forTools(b.site()))) {
                v = c.status(b.clusterMembers());
            } catch (IOException | RuntimeException e) {
                throw new StartupException(ConfigCommand.CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                        + b.clusterMembers().keySet() + " did not answer: " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            print(v, out);
            out.flush();
            return v.leader() == null ? ExitCodes.STARTUP : ExitCodes.OK;
        }

        /** Leader, members with term and indexes, VIP owners, handed-off nodes, heartbeat ages. */
        static void print(ClusterClient.View v, PrintWriter out) {
            if (v.problem() == null) {
                out.printf("cluster of %d voters; leader %s; revision %d%n", v.members().size(),
                        v.leader() == null ? "none" : v.leader(), v.revision());
            } else {
                out.printf("cluster of %d voters; no quorum answered (%s)%n", v.members().size(), v.problem());
            }
            out.printf("%-16s %-11s %6s %8s %8s%n", "member", "role", "term", "commit", "applied");
            for (ClusterClient.Member m : v.members()) {
                if (m.reachable()) {
                    out.printf("%-16s %-11s %6d %8d %8d%n", m.id(), m.role(), m.term(), m.commitIndex(),
                            m.appliedIndex());
                } else {
                    out.printf("%-16s %-11s %s%n", m.id(), m.role(), m.problem());
                }
            }
            if (v.vipOwners().isEmpty()) {
                out.println("VIPs: none held");
            }
            for (Map.Entry<String, String> e : v.vipOwners().entrySet()) {
                out.printf("VIP %-15s held by %s%n", e.getKey(), e.getValue());
            }
            if (!v.handedOff().isEmpty()) {
                out.println("handed off (holding no VIPs): " + v.handedOff());
            }
            for (Map.Entry<String, Long> e : v.heartbeatAgeMs().entrySet()) {
                out.printf("heartbeat %-16s %6d ms ago, holds %s%n", e.getKey(), e.getValue(),
                        v.heldVips().getOrDefault(e.getKey(), java.util.Set.of()));
            }
        }
    }
}
