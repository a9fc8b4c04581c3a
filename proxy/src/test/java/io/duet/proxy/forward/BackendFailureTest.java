package io.duet.proxy.forward;

import io.duet.config.DuetConfig;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BackendFailureTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    /** A port nothing listens on (bound then closed, so connections are refused). */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static DuetConfig config(Limits limits, Long responseTimeoutMs, Integer retries, Server... servers) {
        Route r = new Route("all", RouteMatch.any(), "p", null, null, null, null, null, null, null, responseTimeoutMs,
                retries);
        return new DuetConfig(1L, List.of(new Listener("http", "127.0.0.1", 0)), limits, null, null,
                List.of(new VirtualHost("v", List.of("x.test"), true, List.of(r))),
                List.of(new Pool("p", Pool.ROUND_ROBIN, List.of(servers))));
    }

    // A refused connection to one server is retried on the other for an idempotent request.
    @Test
    void idempotentRequestRetriedOnAnotherServer() throws Exception {
        StubBackend live = track(StubBackend.start("live"));
        ProxyFixture proxy = track(ProxyFixture.start(config(null, null, 1,
                new Server("dead", "127.0.0.1", deadPort(), null, null),
                new Server("live", "127.0.0.1", live.port(), null, null))));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = proxy.get("/x");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("live GET /x");
        }
    }

    // A POST is not retried: the refused connection gives 502 with a stable id in the body.
    @Test
    void postNotRetriedGets502() throws Exception {
        ProxyFixture proxy = track(ProxyFixture.start(config(null, null, 1,
                new Server("dead", "127.0.0.1", deadPort(), null, null))));
        HttpResponse<String> r = proxy.send(HttpRequest.newBuilder(proxy.uri("/x"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("DUET-PROXY-0502").contains("dead");
    }

    // Every server refusing gives 502 after the bounded retries.
    @Test
    void allServersDownGives502() throws Exception {
        ProxyFixture proxy = track(ProxyFixture.start(config(null, null, 3,
                new Server("d1", "127.0.0.1", deadPort(), null, null),
                new Server("d2", "127.0.0.1", deadPort(), null, null))));
        HttpResponse<String> r = proxy.get("/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("DUET-PROXY-0502");
    }

    // A server slower than the route's response timeout gives 504, and the proxy stays usable.
    @Test
    void slowServerGives504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StubBackend slow = track(StubBackend.start("slow")).handler(ex -> {
            release.await(10, TimeUnit.SECONDS);
            ex.getResponseSender().send("late");
        });
        closer.first(release::countDown);
        ProxyFixture proxy = track(ProxyFixture.start(config(null, 300L, 1,
                new Server("slow", "127.0.0.1", slow.port(), null, null))));
        long start = System.nanoTime();
        HttpResponse<String> r = proxy.get("/x");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("DUET-PROXY-0504");
        assertThat(ms).isBetween(250L, 5000L);
        release.countDown();
        slow.handler(ex -> ex.getResponseSender().send("fast"));
        assertThat(proxy.get("/y").statusCode()).isEqualTo(200);
    }

    // A POST whose server does not answer in time gets 504 and the client connection stays usable.
    @Test
    void slowServerPostGets504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StubBackend slow = track(StubBackend.start("slow")).handler(ex -> {
            if (ex.getRequestMethod().toString().equals("POST")) {
                release.await(10, TimeUnit.SECONDS);
            }
            ex.getResponseSender().send("answer");
        });
        closer.first(release::countDown);
        ProxyFixture proxy = track(ProxyFixture.start(config(null, 300L, 1,
                new Server("slow", "127.0.0.1", slow.port(), null, null))));
        try (RawHttp raw = RawHttp.connect(new java.net.InetSocketAddress("127.0.0.1", proxy.port()))) {
            raw.send("POST /x HTTP/1.1\r\nHost: x.test\r\nContent-Length: 5\r\n\r\nhello");
            RawHttp.Response r = raw.readResponse();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).contains("DUET-PROXY-0504");
            release.countDown();
            raw.send("GET /y HTTP/1.1\r\nHost: x.test\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
        }
    }

    // The backend's hop-by-hop response headers and the headers its Connection names never reach the client.
    @Test
    void hopByHopResponseHeadersRemoved() throws Exception {
        StubBackend b = track(StubBackend.start("b")).handler(ex -> {
            ex.getResponseHeaders().put(io.undertow.util.Headers.CONNECTION, "X-Secret");
            ex.getResponseHeaders().put(new io.undertow.util.HttpString("X-Secret"), "1");
            ex.getResponseHeaders().put(new io.undertow.util.HttpString("Keep-Alive"), "timeout=5");
            ex.getResponseHeaders().put(new io.undertow.util.HttpString("Proxy-Authenticate"), "Basic");
            ex.getResponseHeaders().put(new io.undertow.util.HttpString("X-Kept"), "yes");
            ex.getResponseSender().send("ok");
        });
        ProxyFixture proxy = track(ProxyFixture.start(config(null, null, 1,
                new Server("b", "127.0.0.1", b.port(), null, null))));
        HttpResponse<String> r = proxy.get("/x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Kept")).hasValue("yes");
        assertThat(r.headers().firstValue("X-Secret")).isEmpty();
        assertThat(r.headers().firstValue("Keep-Alive")).isEmpty();
        assertThat(r.headers().firstValue("Proxy-Authenticate")).isEmpty();
    }

    // Hop-by-hop request headers and the headers the client's Connection names never reach the backend.
    @Test
    void hopByHopRequestHeadersRemoved() throws Exception {
        StubBackend b = track(StubBackend.start("b"));
        ProxyFixture proxy = track(ProxyFixture.start(config(null, null, 1,
                new Server("b", "127.0.0.1", b.port(), null, null))));
        try (RawHttp raw = RawHttp.connect(new java.net.InetSocketAddress("127.0.0.1", proxy.port()))) {
            raw.send("GET /x HTTP/1.1\r\nHost: x.test\r\nConnection: keep-alive, X-Private\r\n"
                    + "X-Private: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9v\r\n"
                    + "X-Public: 2\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
        }
        StubBackend.Seen seen = b.last();
        assertThat(seen.header("X-Public")).isEqualTo("2");
        assertThat(seen.header("X-Private")).isNull();
        assertThat(seen.header("Keep-Alive")).isNull();
        assertThat(seen.header("TE")).isNull();
        assertThat(seen.header("Proxy-Authorization")).isNull();
    }
}
