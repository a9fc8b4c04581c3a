package io.duet.proxy.scenario;

import io.duet.config.Pool;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.deadPort;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;

/** Backends that fail before or after their response headers, seen by a raw client through the whole data plane. */
class BackendFailureScenarioTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private ProxyFixture proxy(Pool pool) {
        return track(ProxyFixture.start(Scenarios.simple(pool)));
    }

    /** One request on a fresh client connection (so round robin alternates per request). */
    private static RawHttp.Response exchange(ProxyFixture proxy, String request) {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            return c.send(request).readResponse();
        }
    }

    private static String post(String body) {
        return "POST /p HTTP/1.1\r\nHost: x.test\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    // A refused connection sent nothing, so a GET is retried on the other server and succeeds.
    @Test
    void getRetriedOnAnotherServerWhenConnectRefused() throws Exception {
        StubBackend live = track(StubBackend.start("live"));
        ProxyFixture proxy = proxy(pool("p", server("dead", deadPort()), server("live", live.port())));
        for (int i = 0; i < 2; i++) {
            RawHttp.Response r = exchange(proxy, get("/g" + i));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("live GET /g" + i);
        }
        assertThat(live.requests()).isEqualTo(2);
        assertThat(proxy.dataPlane().metrics().counter("duet_server_connect_errors_total{pool=\"p\",server=\"dead\"}")
                .getCount()).isGreaterThanOrEqualTo(1);
    }

    // A GET the backend received and then died on was sent: 502, and the other server never sees it.
    @Test
    void getNotRetriedAfterTheBackendReceivedIt() throws Exception {
        RawBackend dying = track(RawBackend.start("dying", RawBackend.closeWithoutAnswer()));
        StubBackend live = track(StubBackend.start("live"));
        ProxyFixture proxy = proxy(pool("p", server("dying", dying.port()), server("live", live.port())));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RawHttp.Response r = exchange(proxy, get("/g" + i));
            statuses.add(r.status());
            if (r.status() == 502) {
                assertThat(r.body()).contains("DUET-PROXY-0502").contains("dying");
            }
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 502);
        assertThat(dying.requests()).hasSize(1);
        assertThat(live.requests()).isEqualTo(1);
    }

    // A POST is never retried, neither after a refused connection nor after the backend died on it.
    @Test
    void postNeverRetried() throws Exception {
        RawBackend dying = track(RawBackend.start("dying", RawBackend.closeWithoutAnswer()));
        StubBackend live = track(StubBackend.start("live"));
        for (Server failing : List.of(server("dead", deadPort()), server("dying", dying.port()))) {
            try (ProxyFixture proxy = ProxyFixture.start(Scenarios.simple(pool("p", failing,
                    server("live", live.port()))))) {
                int before = live.requests();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    RawHttp.Response r = exchange(proxy, post("payload-" + i));
                    statuses.add(r.status());
                    if (r.status() == 502) {
                        assertThat(r.body()).contains("DUET-PROXY-0502").contains(failing.id());
                    }
                }
                assertThat(statuses).as("via %s", failing.id()).containsExactlyInAnyOrder(200, 502);
                assertThat(live.requests() - before).as("POSTs the live server saw").isEqualTo(1);
            }
        }
        assertThat(dying.requests()).hasSize(1);
        assertThat(dying.requests().get(0).method()).isEqualTo("POST");
    }

    // A backend that accepts and closes at once (nothing answered) gives 502 with the stable id.
    @Test
    void backendClosingOnAcceptGives502() throws Exception {
        RawBackend closing = track(RawBackend.closingOnAccept("closing"));
        ProxyFixture proxy = proxy(pool("p", server("closing", closing.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(get("/x")).readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("DUET-PROXY-0502");
            assertThat(r.header("Connection")).isNotEqualToIgnoringCase("close");
            // The client connection was not disturbed by the backend's failure: it serves the next request.
            assertThat(c.send(get("/y")).readResponse().status()).isEqualTo(502);
        }
        assertThat(closing.connections()).isEqualTo(2);
    }

    // Every server refusing: 502 after the bounded retries (documented: connect failures are 502, not 503).
    @Test
    void allServersDownGives502() throws Exception {
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.config(null, null,
                List.of(Scenarios.route("all", RouteMatch.any(), "p", null, null, 3)),
                pool("p", server("d1", deadPort()), server("d2", deadPort())))));
        RawHttp.Response r = exchange(proxy, get("/x"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("DUET-PROXY-0502");
    }

    // A pool with no server that may take traffic (weight 0): 503 DUET-PROXY-0503, counted as no server available.
    @Test
    void noServerUpGives503() throws Exception {
        StubBackend b = track(StubBackend.start("b"));
        ProxyFixture proxy = proxy(new Pool("p", Pool.WEIGHTED_ROUND_ROBIN,
                List.of(new Server("drained", "127.0.0.1", b.port(), 0, null))));
        RawHttp.Response r = exchange(proxy, get("/x"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("DUET-PROXY-0503");
        assertThat(b.requests()).isZero();
        assertThat(proxy.dataPlane().metrics().counter("duet_pool_no_server_available_total{pool=\"p\"}").getCount())
                .isEqualTo(1);
    }

    // A backend slower than the route's response timeout: 504, and its late answer never reaches the next request.
    @Test
    void slowBackendGives504AndTheConnectionStaysInSync() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        RawBackend slow = track(RawBackend.start("slow", (req, ex) -> {
            if (served.getAndIncrement() == 0) {
                release.await(10, TimeUnit.SECONDS);
                ex.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
            } else {
                ex.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
            }
        }));
        closer.first(release::countDown);
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.config(null, null,
                List.of(Scenarios.route("all", RouteMatch.any(), "p", null, 300L, null)),
                pool("p", server("slow", slow.port())))));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(get("/first")).readResponse();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).contains("DUET-PROXY-0504");
            // The timed-out backend connection is dropped; the client connection is in sync and stays open.
            assertThat(r.header("Connection")).isNotEqualToIgnoringCase("close");
            release.countDown();
            RawHttp.Response next = c.send(get("/second")).readResponse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("fresh");
        }
    }

    // Headers, then the backend closes short of its Content-Length: the client connection is aborted, never a
    // complete response on a kept-alive connection.
    @Test
    void contentLengthShortfallAbortsTheClientConnection() throws Exception {
        RawBackend shortBody = track(RawBackend.start("short", (req, ex) -> {
            ex.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(100));
            ex.close();
        }));
        ProxyFixture proxy = proxy(pool("p", server("short", shortBody.port())));
        try (Wire c = Wire.connect(proxy.port())) {
            // A second request pipelined behind the first must not be answered on this connection either.
            c.send(get("/first") + get("/second"));
            Wire.Head head = c.readHead();
            if (head != null) {
                assertThat(head.status()).isEqualTo(200);
                if (head.header("content-length") != null) {
                    assertThat(head.header("content-length")).isEqualTo("1000");
                    assertThat(c.readUpTo(1000).length).isLessThan(1000);
                } else {
                    assertThat(c.readChunkedOrNull()).as("a chunked body must not end cleanly").isNull();
                }
            }
            assertThat(c.endsWithin(Duration.ofSeconds(3))).as("client connection closed").isTrue();
        }
        assertThat(shortBody.requests()).hasSize(1);
    }

    // Headers, then the backend dies in the middle of a chunked body: the client never sees the last chunk and the
    // connection is closed.
    @Test
    void chunkedBodyCutMidwayAbortsTheClientConnection() throws Exception {
        RawBackend cut = track(RawBackend.start("cut", (req, ex) -> {
            ex.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "64\r\n" + "b".repeat(100) + "\r\n" + "64\r\n" + "c".repeat(10));
            ex.close();
        }));
        ProxyFixture proxy = proxy(pool("p", server("cut", cut.port())));
        try (Wire c = Wire.connect(proxy.port())) {
            c.send(get("/first") + get("/second"));
            Wire.Head head = c.readHead();
            if (head != null) {
                assertThat(head.status()).isEqualTo(200);
                if (head.header("content-length") != null) {
                    int declared = Integer.parseInt(head.header("content-length"));
                    assertThat(c.readUpTo(declared).length).isLessThan(declared);
                } else {
                    assertThat(c.readChunkedOrNull()).as("a chunked body must not end cleanly").isNull();
                }
            }
            assertThat(c.endsWithin(Duration.ofSeconds(3))).as("client connection closed").isTrue();
        }
    }
}
