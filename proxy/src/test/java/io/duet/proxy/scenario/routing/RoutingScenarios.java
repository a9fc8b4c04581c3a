package io.duet.proxy.scenario.routing;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.PathMatch;
import io.duet.config.Pool;
import io.duet.config.RouteMatch;
import io.duet.config.TlsCertificate;
import io.duet.config.ValueMatch;
import io.duet.config.build.DocumentBuilder;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.LoopbackPorts;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing and forwarding scenarios, written once and run over each client protocol by a subclass that supplies
 * the listener ({@code in}, port 0), its certificates and the client: a real data plane, real backends A, B, BIG
 * (a 50 kB answer) and SLOW on loopback, and dead or drained pools for the error answers.
 */
abstract class RoutingScenarios {
    /** The listener the scenarios talk to: named {@code in}, on 127.0.0.1 port 0. */
    protected abstract Listener listener();

    /** The certificates the listener names (none for plain HTTP). */
    protected List<TlsCertificate> certificates() {
        return List.of();
    }

    /** A client of the listener on this port. */
    protected abstract ScenarioClient client(int port);

    /** What the proxy tells backends the client spoke: {@code http} or {@code https}. */
    protected abstract String scheme();

    static final String BIG = "y".repeat(50_000);

    protected StubBackend a;
    protected StubBackend b;
    private StubBackend big;
    private StubBackend slow;
    private DataPlane dataPlane;
    protected ScenarioClient client;

    /** The port the listener got. */
    protected int listenerPort() {
        return dataPlane.address("in").getPort();
    }

    @BeforeEach
    void start() {
        a = StubBackend.start("A");
        b = StubBackend.start("B");
        big = StubBackend.start("BIG").body(BIG);
        slow = StubBackend.start("SLOW").mode(StubBackend.Mode.SLOW).slowMs(2_000);
        DuetConfig config = config();
        assertThat(ConfigValidator.validate(config).stream().filter(v -> v.isError())).isEmpty();
        dataPlane = DataPlane.start(config, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "routing-scenarios"));
        client = client(listenerPort());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (dataPlane != null) {
            dataPlane.close();
        }
        for (StubBackend s : new StubBackend[]{a, b, big, slow}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private DuetConfig config() {
        DocumentBuilder doc = document().revision(1).listener(listener())
                .virtualHost(virtualHost("a").hostname("a.test").defaultHost()
                        .route(route("api").pathPrefix("/api").pool("B"))
                        .route(route("form-post").match(new RouteMatch(new PathMatch("/form", null, null),
                                List.of("POST"), null, null, null, null, null)).pool("B"))
                        .route(route("canary").match(new RouteMatch(null, null,
                                List.of(new ValueMatch("x-canary", "yes", null, null, null)), null, null, null, null))
                                .pool("B"))
                        .route(route("v2").match(new RouteMatch(null, null, null,
                                List.of(new ValueMatch("v", "2", null, null, null)), null, null, null)).pool("B"))
                        .route(route("big").pathExact("/big").pool("BIG"))
                        .route(route("dead").pathPrefix("/err/dead").pool("dead").retries(3))
                        .route(route("none").pathPrefix("/err/none").pool("none"))
                        .route(route("slow").pathPrefix("/err/slow").pool("SLOW").responseTimeoutMs(300))
                        .route(route("all").match(RouteMatch.any()).pool("A")))
                .virtualHost(virtualHost("b").hostname("b.test")
                        .route(route("all").match(RouteMatch.any()).pool("B")))
                .pool(pool("dead").server(server("127.0.0.1", LoopbackPorts.free()).id("d1"))
                        .server(server("127.0.0.1", LoopbackPorts.free()).id("d2")))
                .pool(pool("none").balancer(Pool.WEIGHTED_ROUND_ROBIN)
                        .server(server("127.0.0.1", a.port()).id("drained").weight(0)));
        for (StubBackend s : List.of(a, b, big, slow)) {
            doc.pool(pool(s.name()).server(server("127.0.0.1", s.port()).id(s.name())));
        }
        certificates().forEach(doc::certificate);
        return doc.build();
    }

    private RawHttp.Response get(String host, String target, String... headers) throws Exception {
        return client.send("GET", host, target, null, headers);
    }

    // The Host (and, over TLS, the SNI name) picks the virtual host, and with it the pool.
    @Test
    void hostRouting() throws Exception {
        assertThat(get("a.test", "/").header("x-backend")).isEqualTo("A");
        assertThat(get("b.test", "/").header("x-backend")).isEqualTo("B");
        assertThat(get("b.test", "/api").body()).isEqualTo("B GET /api");
        assertThat(a.requests()).isEqualTo(1);
    }

    // A path prefix matches at segment boundaries; the rest falls through to the catch-all route.
    @Test
    void pathRouting() throws Exception {
        assertThat(get("a.test", "/api/users").body()).isEqualTo("B GET /api/users");
        assertThat(get("a.test", "/api").body()).isEqualTo("B GET /api");
        assertThat(get("a.test", "/apiary").body()).isEqualTo("A GET /apiary");
        assertThat(get("a.test", "/other").body()).isEqualTo("A GET /other");
    }

    // Routes match on method, header and query parameter; a request that matches none of them goes to A.
    @Test
    void methodHeaderAndQueryMatching() throws Exception {
        assertThat(client.send("POST", "a.test", "/form", "x=1").body()).isEqualTo("B POST /form");
        assertThat(get("a.test", "/form").body()).isEqualTo("A GET /form");
        assertThat(get("a.test", "/c", "x-canary", "yes").header("x-backend")).isEqualTo("B");
        assertThat(get("a.test", "/c", "x-canary", "no").header("x-backend")).isEqualTo("A");
        assertThat(get("a.test", "/q?v=2").body()).isEqualTo("B GET /q?v=2");
        assertThat(get("a.test", "/q?v=1").body()).isEqualTo("A GET /q?v=1");
    }

    // The backend learns the client's address, the host asked for and the scheme; forged values are replaced.
    @Test
    void forwardingHeaders() throws Exception {
        assertThat(get("a.test", "/f", "x-forwarded-for", "6.6.6.6", "x-forwarded-proto", "gopher").status())
                .isEqualTo(200);
        StubBackend.Seen seen = a.last();
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.count("X-Forwarded-For")).isEqualTo(1);
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo(scheme());
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("a.test");
        assertThat(seen.header("Forwarded")).startsWith("for=127.0.0.1;host=").endsWith(";proto=" + scheme());
    }

    // A request body reaches the backend byte for byte; a 50 kB answer reaches the client whole.
    @Test
    void requestAndResponseBodies() throws Exception {
        String body = "0123456789abcdef".repeat(1_000) + "é";
        RawHttp.Response r = client.send("POST", "a.test", "/upload", body, "content-type", "text/plain; charset=utf-8");
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(a.last().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
        RawHttp.Response large = get("a.test", "/big");
        assertThat(large.status()).isEqualTo(200);
        assertThat(large.body()).isEqualTo(BIG);
    }

    // Backend failures map to 502 (nothing answers), 503 (no server up) and 504 (no answer in time), each a
    // DUET-PROXY page; the client connection goes on serving.
    @Test
    void backendErrorsMapToStatuses() throws Exception {
        RawHttp.Response dead = get("a.test", "/err/dead");
        assertThat(dead.status()).isEqualTo(502);
        assertThat(dead.body()).contains("DUET-PROXY-0502");
        assertThat(get("a.test", "/err/none").status()).isEqualTo(503);
        assertThat(get("a.test", "/err/slow").status()).isEqualTo(504);
        assertThat(get("a.test", "/after").body()).isEqualTo("A GET /after");
    }

    // Requests in turn on one client connection are all answered, and the proxy sends them over one pooled
    // backend connection.
    @Test
    void keepAliveReuse() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("a.test", "/k" + i).body()).isEqualTo("A GET /k" + i);
        }
        assertThat(a.seen()).extracting(StubBackend.Seen::remotePort).containsOnly(a.seen().get(0).remotePort());
    }
}
