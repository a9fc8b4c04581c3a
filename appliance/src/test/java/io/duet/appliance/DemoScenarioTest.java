package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.Node;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.FixedResponse;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A whole node: bootstrap -> file store -> data plane -> management server, on 127.0.0.1 and ports the OS picks
 * (the bootstrap overrides DUET_PROXY_PORT=0 and DUET_MANAGEMENT_PORT=0). Tagged: needs the real FileConfigStore,
 * DataPlane and ManagementServer, which are written on other branches.
 */
@Tag("needs-dataplane")
class DemoScenarioTest {
    @TempDir
    Path dataDir;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    private NodeBootstrap bootstrap(Map<String, String> extra) throws StartupException {
        Map<String, String> env = new HashMap<>(Map.of(
                "DUET_NODE_ID", "scenario",
                "DUET_DATA_DIR", dataDir.toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", "1"));
        env.putAll(extra);
        return BootstrapReader.read(null, dataDir.resolve("absent-duet.properties"), env);
    }

    private Node start(boolean demo) throws StartupException {
        return start(bootstrap(Map.of()), demo);
    }

    private Node start(NodeBootstrap b, boolean demo) throws StartupException {
        Node node = Node.start(b, demo);
        nodes.add(node);
        return node;
    }

    // run --demo: two requests for demo.local are answered by b1 and b2 in turn (round-robin through the proxy).
    @Test
    void demoAlternatesBetweenBackends() throws Exception {
        Node node = start(true);
        InetSocketAddress proxy = node.listenerAddress("http");

        RawHttp.Response first = RawHttp.get(proxy, "demo.local", "/");
        RawHttp.Response second = RawHttp.get(proxy, "demo.local", "/");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(List.of(first.header("X-Backend"), second.header("X-Backend")))
                .containsExactlyInAnyOrder("b1", "b2");
        assertThat(first.body()).startsWith("hello from demo backend " + first.header("X-Backend"));
        assertThat(second.body()).startsWith("hello from demo backend " + second.header("X-Backend"));
    }

    // The demo host is the default host: a request with another Host header is served by the demo backends too.
    @Test
    void demoIsDefaultHost() throws Exception {
        Node node = start(true);

        RawHttp.Response r = RawHttp.get(node.listenerAddress("http"), "localhost", "/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Backend")).isIn("b1", "b2");
    }

    // The demo backends show the forwarding headers the proxy added (the point of the demo page).
    @Test
    void demoPageShowsForwardedHeaders() throws Exception {
        Node node = start(true);

        RawHttp.Response r = RawHttp.get(node.listenerAddress("http"), "demo.local", "/");

        assertThat(r.body()).contains("X-Forwarded-For: 127.0.0.1", "X-Test: raw-client");
    }

    // The demo document is written to <data.dir>/demo-config.json; config.json is not created.
    @Test
    void demoDocumentLocation() throws Exception {
        Node node = start(true);

        assertThat(node.configFile()).isEqualTo(dataDir.resolve("demo-config.json"));
        assertThat(dataDir.resolve("demo-config.json")).isRegularFile();
        assertThat(dataDir.resolve("config.json")).doesNotExist();
    }

    // The banner names version, node, revision, the bound listener, the metrics URL, the paths and the demo curl.
    @Test
    void bannerWithDemo() throws Exception {
        Node node = start(true);
        int port = node.listenerAddress("http").getPort();
        int managementPort = node.managementAddress().getPort();

        assertThat(node.banner()).contains(
                "Duet " + Version.current(),
                "node id      scenario",
                "revision     1",
                "listener     http  http://127.0.0.1:" + port,
                "metrics      http://127.0.0.1:" + managementPort + "/metrics",
                "data dir     " + dataDir,
                "config file  " + dataDir.resolve("demo-config.json"),
                "try: curl -H 'Host: demo.local' http://localhost:" + port + "/");
    }

    // The management server answers on its (ephemeral) port with the metrics page.
    @Test
    void managementServesMetrics() throws Exception {
        Node node = start(true);

        RawHttp.Response r = RawHttp.get(node.managementAddress(), "localhost", "/metrics");

        assertThat(r.status()).isEqualTo(200);
    }

    // Without config.json, the node writes the embedded welcome document there and serves it.
    @Test
    void firstStartWritesWelcomeDocument() throws Exception {
        Node node = start(false);

        assertThat(dataDir.resolve("config.json")).isRegularFile();
        RawHttp.Response r = RawHttp.get(node.listenerAddress("http"), "anything.example", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Duet is running on node scenario");
    }

    // A document committed to the store (here: the file edited) reaches the data plane without a restart.
    @Test
    void storeChangesAreApplied() throws Exception {
        Node node = start(false);
        InetSocketAddress proxy = node.listenerAddress("http");
        DuetConfig changed = new DuetConfig(2L, List.of(new io.duet.config.Listener("http", "127.0.0.1",
                proxy.getPort())), null, null, null,
                List.of(new VirtualHost("default", List.of("localhost"), true, List.of(new Route("changed",
                        RouteMatch.any(), null, null, new FixedResponse(200, "changed\n", null),
                        null, null, null, null, null, null, null)))), List.of());
        Path tmp = dataDir.resolve("config.json.new");
        Files.writeString(tmp, ConfigCodec.encode(changed, ConfigCodec.Format.JSON));
        Files.move(tmp, dataDir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(RawHttp.get(proxy, "localhost", "/").body()).isEqualTo("changed\n"));
    }

    // A stored document with errors stops the start with DUET-NODE-0005 (exit 1) naming the file and the path.
    @Test
    void invalidStoredDocument() throws Exception {
        DuetConfig bad = new DuetConfig(1L, List.of(new io.duet.config.Listener("http", "127.0.0.1", 0)),
                null, null, null, List.of(new VirtualHost("v", List.of("a.example"), true,
                        List.of(Route.forward("r", RouteMatch.any(), "p")))),
                List.of(new Pool("p", Pool.ROUND_ROBIN, List.of(new Server("127.0.0.1", 70000)))));
        Files.writeString(dataDir.resolve("config.json"), ConfigCodec.encode(bad, ConfigCodec.Format.JSON));

        assertThatThrownBy(() -> start(false)).isInstanceOfSatisfying(StartupException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("DUET-NODE-0005 the configuration document "
                    + dataDir.resolve("config.json") + " is invalid").contains("$.pools[0].servers[0].port");
        });
    }

    // A proxy port already in use stops the start with DUET-NODE-0006 (exit 3); nothing stays bound.
    @Test
    void proxyPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            NodeBootstrap b = bootstrap(Map.of("DUET_PROXY_PORT", Integer.toString(taken.getLocalPort())));

            assertThatThrownBy(() -> start(b, true)).isInstanceOfSatisfying(StartupException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(3);
                assertThat(e.getMessage()).startsWith("DUET-NODE-0006 a listener could not bind")
                        .contains("proxy.port");
            });
        }
    }

    // close() stops the listener and the management server; a second close is harmless.
    @Test
    void closeStopsEverything() throws Exception {
        Node node = start(true);
        InetSocketAddress proxy = node.listenerAddress("http");
        InetSocketAddress management = node.managementAddress();

        node.close();
        node.close();

        assertThatThrownBy(() -> RawHttp.get(proxy, "demo.local", "/")).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> RawHttp.get(management, "localhost", "/metrics"))
                .isInstanceOf(ConnectException.class);
    }
}
