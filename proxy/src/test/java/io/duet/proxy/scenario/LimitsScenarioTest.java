package io.duet.proxy.scenario;

import io.duet.config.Limits;
import io.duet.config.RouteMatch;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The edge's limits through the whole data plane, with short limits so the suite stays fast. */
class LimitsScenarioTest {
    private static final long ROUTE_MAX_BODY = 1000;
    private static RawBackend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = RawBackend.start("b", RawBackend.ok("ok"));
        Limits limits = new Limits(512, 4096, 20, null, 500L, null, null, null, null, null, null);
        proxy = ProxyFixture.start(Scenarios.config(limits, null,
                List.of(Scenarios.route("all", RouteMatch.any(), "p", ROUTE_MAX_BODY, null, null)),
                pool("p", server("b", backend.port()))));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
    }

    private int connectionsBefore;
    private int requestsBefore;

    @BeforeEach
    void mark() {
        connectionsBefore = backend.connections();
        requestsBefore = backend.requests().size();
    }

    private void assertBackendUntouched() {
        assertThat(backend.connections() - connectionsBefore).as("connections to the backend").isZero();
        assertThat(backend.requests().size() - requestsBefore).as("requests the backend saw").isZero();
    }

    // A request line over maxRequestLineBytes: 414, closed, nothing forwarded.
    @Test
    void requestLineTooLong() {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("GET /" + "a".repeat(600) + " HTTP/1.1\r\nHost: x.test\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(414);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertBackendUntouched();
    }

    // More header fields than maxHeaderCount: 431, closed, nothing forwarded.
    @Test
    void tooManyHeaders() {
        StringBuilder head = new StringBuilder("GET /h HTTP/1.1\r\nHost: x.test\r\n");
        for (int i = 0; i < 30; i++) {
            head.append("X-H").append(i).append(": v\r\n");
        }
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(head.append("\r\n").toString()).readResponse();
            assertThat(r.status()).isEqualTo(431);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertBackendUntouched();
    }

    // A declared Content-Length over the route's maxBodyBytes: 413 before anything reaches the backend, closed.
    @Test
    void declaredBodyOverTheRouteLimit() {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nContent-Length: 5000\r\n\r\n"
                    + "x".repeat(1500)).readResponse();
            assertThat(r.status()).isEqualTo(413);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertBackendUntouched();
    }

    // A chunked body growing over the route's maxBodyBytes: 413 or a closed connection, and the backend never
    // receives a complete body.
    @Test
    void chunkedBodyOverTheRouteLimit() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            body.append("1f4\r\n").append("y".repeat(500)).append("\r\n");
        }
        body.append("0\r\n\r\n");
        try (Wire c = Wire.connect(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            Wire.Head head = c.readHead();
            if (head != null) {
                assertThat(head.status()).isEqualTo(413);
                c.readUpTo(Integer.parseInt(head.header("content-length")));
            }
            assertThat(c.endsWithin(Duration.ofSeconds(3))).as("client connection closed").isTrue();
        }
        // Whatever reached the backend must stay incomplete: watch for a while that no complete request appears.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> backend.requests().size() == requestsBefore);
    }

    // A body of exactly the route's limit is forwarded whole.
    @Test
    void bodyAtTheLimitForwarded() {
        String body = "z".repeat((int) ROUTE_MAX_BODY);
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).readResponse();
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(backend.requests().get(backend.requests().size() - 1).bodyText()).isEqualTo(body);
    }

    // Slowloris: header lines trickled past the header deadline get 408 and a closed connection, nothing forwarded.
    @Test
    void slowlorisGets408() throws Exception {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            c.send("GET /slow HTTP/1.1\r\nHost: x.test\r\n");
            Thread trickle = new Thread(() -> c.sendSlowly("X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\nX-E: 5\r\n"
                    + "X-F: 6\r\nX-G: 7\r\nX-H: 8\r\n", 8, Duration.ofMillis(150)), "slowloris");
            trickle.start();
            long start = System.nanoTime();
            RawHttp.Response r = c.readResponse();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(ms).isBetween(300L, 3000L);
            c.assertClosedWithin(Duration.ofSeconds(3));
            trickle.join(5_000);
        }
        assertBackendUntouched();
    }
}
