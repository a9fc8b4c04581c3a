package io.duet.appliance.node;

import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.FixedResponse;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** The configuration documents Duet generates itself: the first-start welcome document and the demo document. */
public final class EmbeddedDocuments {
    public static final String LISTENER = "http";
    public static final String TLS_LISTENER = "https";

    private EmbeddedDocuments() {
    }

    /**
     * Written to {@code config.file} when it does not exist: {@code http} and {@code https} listeners (see below),
     * and a default virtual host that answers every request with a short page saying what to do next.
     */
    public static DuetConfig welcome(NodeBootstrap b) {
        String body = b.clustered()
                // Replicated: every proxy serves this text, so it names the cluster, not the node that wrote it.
                ? "Duet is running on the cluster " + b.clusterMembers().keySet()
                        + ".\nThe configuration document is replicated by the cluster (this is its first revision);\n"
                        + "`duet example` prints an example document, `duet check FILE` validates one.\n"
                : "Duet is running on node " + b.nodeId() + ".\n"
                + "Edit " + b.configFile() + " to route traffic (the node reloads it);\n"
                + "`duet example` prints an example document, `duet check FILE` validates one.\n";
        Route welcome = new Route("welcome", RouteMatch.any(), null, null, new FixedResponse(200, body, null),
                null, null, null, null, null, null, null);
        VirtualHost host = new VirtualHost("default", List.of("localhost"), true, List.of(welcome));
        return new DuetConfig(1L, listeners(b), null, null, null, List.of(host), List.of());
    }

    /**
     * The demo: the {@code http} and {@code https} listeners, virtual host {@code demo} (demo.local, and the
     * default host) whose route {@code all} forwards to pool {@code demo}, round-robin over backends b1 and b2.
     */
    public static DuetConfig demo(NodeBootstrap b, InetSocketAddress b1, InetSocketAddress b2) {
        Pool pool = new Pool("demo", BalancerAlgorithm.ROUND_ROBIN.id(), List.of(
                new Server("b1", b1.getHostString(), b1.getPort(), null, null),
                new Server("b2", b2.getHostString(), b2.getPort(), null, null)));
        VirtualHost host = new VirtualHost("demo", List.of("demo.local"), true,
                List.of(Route.forward("all", RouteMatch.any(), "demo")));
        return new DuetConfig(1L, listeners(b), null, null, null, List.of(host), List.of(pool));
    }

    /**
     * {@code http} on the proxy port and {@code https} on the proxy TLS port; the latter names no certificate, so
     * it serves the node's self-signed one until the operator configures a certificate.
     */
    private static List<Listener> listeners(NodeBootstrap b) {
        return List.of(new Listener(LISTENER, b.proxyAddress(), b.proxyPort()),
                new Listener(TLS_LISTENER, b.proxyAddress(), b.proxyTlsPort(), "https", null, null));
    }

    /**
     * Writes {@code config} in the format of the file's extension, atomically (a reader never sees half a file) and
     * 0600 (the node adds password hashes to it). May block.
     */
    public static void write(DuetConfig config, Path file) throws IOException {
        io.duet.config.store.PrivateFile.write(file, ConfigCodec.encode(config,
                ConfigCodec.Format.ofFileName(file.toString())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
