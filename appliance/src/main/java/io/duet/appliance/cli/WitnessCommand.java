package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.Membership;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.PrivateFilesCheck;
import io.duet.appliance.pair.ClusterDuties;
import io.duet.appliance.pair.ClusterWiring;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.raft.ClusterNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static io.duet.appliance.bootstrap.ApplianceMessage.WITNESS_WITHOUT_MEMBERS;

/**
 * {@code duet witness}: the third voter of a pair. Runs only the Raft member (no data plane, no VIPs), so a small
 * heap does (the RPM's unit gives it 64 MiB). Blocks until the JVM is asked to stop.
 */
@Command(name = "witness",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Run this machine as the witness of a pair: a Raft voter that serves no traffic.",
        description = {"%nReads the node bootstrap like `duet run` (cluster.members must name this node.id); keeps "
                + "the Raft group writable when either proxy node is down. Run it on a third machine (or VM) that "
                + "fails independently of both proxies."})
final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "The node bootstrap file. Default: /etc/duet/duet.properties when it exists.")
    Path config;

    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StartupException, InterruptedException {
        NodeBootstrap b = BootstrapReader.read(config, parent.defaultBootstrapFile(), parent.environment());
        RunCommand.applyLogLevel(b.logLevel(), parent.debug);
        if (!b.clustered()) {
            throw new StartupException(WITNESS_WITHOUT_MEMBERS.id(), ExitCodes.USAGE,
                    "a witness needs cluster.members (or DUET_CLUSTER_MEMBERS) naming this node.id and the two proxies");
        }
        ClusterIdentity identity = Membership.step(() -> ClusterIdentity.load(b.site(), ClusterIdentity.vault(b.site())));
        PrivateFilesCheck.warn(b); // the witness keeps the Raft log too
        ClusterNode member;
        try {
            member = ClusterDuties.startMember(b, identity);
            member.leadAsWitness(); // a proxy's loss then costs no election
        } catch (IOException | RuntimeException e) {
            throw new StartupException(ClusterWiring.CLUSTER_FAILED, ExitCodes.STARTUP, "the witness could not start: "
                    + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            member.close();
            stopped.countDown();
        }, "duet-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Duet witness " + b.nodeId() + " is running: Raft voter of " + b.clusterMembers());
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
