package io.duet.appliance;

import io.duet.cluster.raft.ClusterClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code duet cluster}: the Raft group of this node. */
@Command(name = "cluster",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Inspect the cluster (the Raft group of this node's cluster.members).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Handoff.class, ClusterCommand.ReleaseVips.class,
                CommandLine.HelpCommand.class})
final class ClusterCommand implements Callable<Integer> {
    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: status or handoff");
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
        public Integer call() throws StartupException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            if (!b.clustered()) {
                throw new StartupException("DUET-CLI-0006", ExitCodes.USAGE, "this node is standalone: set "
                        + "cluster.members (or DUET_CLUSTER_MEMBERS)");
            }
            String target = node != null ? node : b.nodeId();
            if (!b.clusterMembers().containsKey(target)) {
                throw new StartupException("DUET-CLI-0007", ExitCodes.USAGE, "'" + target + "' is not a member of "
                        + b.clusterMembers().keySet());
            }
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers())) {
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
        public Integer call() throws StartupException {
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
                    out.println("DUET-CLUSTER-0048 removed VIP " + a + " from " + b.clusterInterface());
                }
                if (present.isEmpty()) {
                    out.println("no VIP of revision " + last.revision() + " on " + b.clusterInterface());
                }
            } catch (io.duet.cluster.vip.VipActuator.VipException e) {
                throw new StartupException("DUET-CLI-0008", ExitCodes.STARTUP, e.getMessage(), e);
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
        public Integer call() throws StartupException {
            NodeBootstrap b = BootstrapReader.read(config, parent.parent.defaultBootstrapFile(),
                    parent.parent.environment());
            if (!b.clustered()) {
                throw new StartupException("DUET-CLI-0006", ExitCodes.USAGE, "this node is standalone: set "
                        + "cluster.members (or DUET_CLUSTER_MEMBERS) to see a cluster");
            }
            ClusterClient.View v;
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers())) {
                v = c.status(b.clusterMembers());
            } catch (IOException | RuntimeException e) {
                throw new StartupException(ConfigCommand.CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                        + b.clusterMembers().keySet() + " did not answer: " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("cluster of %d voters; leader %s; revision %d%n", v.members().size(),
                    v.leader() == null ? "none" : v.leader(), v.revision());
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
            out.flush();
            return v.leader() == null ? ExitCodes.STARTUP : ExitCodes.OK;
        }
    }
}
