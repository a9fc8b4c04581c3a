package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.node.Node;
import io.duet.appliance.pair.ClusterDuties;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.raft.ClusterNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pair on loopback in this JVM, for tests of what the pair does together: proxies {@code a} and {@code b} and the
 * witness {@code w}, made the way an operator makes them ({@code duet cluster init} on a, {@code join} with its
 * tokens), each node with its own data directory under {@code dir}, every port but the Raft and join ports chosen by
 * the kernel.
 */
final class LocalPair implements AutoCloseable {
    /** What a command printed and returned. */
    record Cli(int code, String out, String err) {
    }

    private final Path dir;
    private final Map<String, String> joinPorts = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String members;
    private Node a;
    private Node b;

    private LocalPair(Path dir) throws Exception {
        this.dir = dir;
        this.members = "a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort() + ",w=127.0.0.1:" + freePort();
    }

    /** Makes the cluster, starts a, the witness and b, and waits until both proxies have the first document. */
    static LocalPair start(Path dir) throws Exception {
        LocalPair p = new LocalPair(dir);
        try {
            Cli init = p.cli("a", "cluster", "init");
            assertThat(init.code()).as(init.err()).isZero();
            p.a = Node.start(p.bootstrap("a"), false);
            p.open.add(p.a);
            assertThat(p.cli("b", "cluster", "join", "--token", InitOutput.tokenFor(init.out(), "b")).code()).isZero();
            assertThat(p.cli("w", "cluster", "join", "--witness", "--token", InitOutput.tokenFor(init.out(), "w"))
                    .code()).isZero();
            NodeBootstrap wb = p.bootstrap("w");
            ClusterNode witness = ClusterDuties.startMember(wb, ClusterIdentity.load(wb.site(),
                    ClusterIdentity.vault(wb.site())));
            p.open.add(witness);
            p.b = Node.start(p.bootstrap("b"), false);
            p.open.add(p.b);
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.a.store().current().admin().users().isEmpty()
                    && !p.b.store().current().admin().users().isEmpty());
            return p;
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    Node a() {
        return a;
    }

    Node b() {
        return b;
    }

    /** Runs {@code duet ARGS} as node {@code id} would (its environment), in this JVM. */
    Cli cli(String id, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine c = Main.commandLine(env(id), dir.resolve("absent.properties"));
        c.setOut(new PrintWriter(out, true));
        c.setErr(new PrintWriter(err, true));
        int code = c.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    NodeBootstrap bootstrap(String id) throws Exception {
        return BootstrapReader.read(null, dir.resolve("absent.properties"), env(id));
    }

    private Map<String, String> env(String id) throws Exception {
        Map<String, String> env = LoopbackNodes.env(id, dir.resolve(id), 1);
        env.put("DUET_CLUSTER_MEMBERS", members);
        String join = joinPorts.get(id);
        if (join == null) {
            join = String.valueOf(freePort());
            joinPorts.put(id, join);
        }
        env.put("DUET_CLUSTER_JOIN_PORT", join);
        return env;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
