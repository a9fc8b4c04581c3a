package io.duet.proxy.edge;

import io.duet.config.ProxyProtocol;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Size limits at the edge: 414 request line, 431 header block, 413 body, the connection cap. */
class EdgeLimitsTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    private void start() {
        server.start(EdgeServer.limits(200, 1000, 10, 100L, null, null, null, null, null));
    }

    // A request line one byte over the limit gets 414 and EOF; one at the limit passes.
    @Test
    void requestLineOverLimitIs414() {
        start();
        String atLimit = "GET /" + "a".repeat(200 - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertThat(atLimit).hasSize(200);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send(atLimit + "\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.send("GET /b" + "a".repeat(200 - "GET / HTTP/1.1".length()) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.header("connection")).isEqualTo("close");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("requestLineTooLong")).isEqualTo(1);
    }

    // A request line far beyond Undertow's own header cap still gets 414, not Undertow's bare 400.
    @Test
    void hugeRequestLineIs414NotUndertows400() {
        start();
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(414);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // A header block over the byte limit gets 431 and EOF.
    @Test
    void headerBlockOverLimitIs431() {
        start();
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(1000) + "\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(431);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("headersTooLarge")).isEqualTo(1);
    }

    // More header fields than the limit get 431; exactly the limit passes.
    @Test
    void tooManyHeaderFieldsIs431() {
        start();
        try (RawHttp c = RawHttp.connect(server.address())) {
            StringBuilder ok = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
            for (int i = 1; i < 10; i++) {
                ok.append("X-").append(i).append(": v\r\n");
            }
            c.send(ok + "\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.send(ok + "X-10: v\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(431);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("tooManyHeaders")).isEqualTo(1);
    }

    // A declared Content-Length over the body limit gets 413 before the body is read, and EOF.
    @Test
    void declaredBodyOverLimitIs413BeforeReading() {
        start();
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("bodyTooLarge")).isEqualTo(1);
    }

    // A chunked body is stopped at the limit with 413 and EOF; the handler never answers.
    @Test
    void chunkedBodyOverLimitIs413() {
        start();
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "x".repeat(64) + "\r\n0\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // A route can raise the body limit for its exchange (EdgeLimits.setMaxBody), and lower it to force 413.
    @Test
    void routeCanChangeTheBodyLimit() {
        server.start(EdgeServer.limits(200, 1000, 10, 100L, null, null, null, null, null), ProxyProtocol.disabled(),
                ex -> {
                    long limit = ex.getRequestPath().equals("/big") ? 1000 : 10;
                    if (EdgeLimits.setMaxBody(ex, limit)) {
                        EdgeServer.echo(ex);
                    }
                });
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "c8\r\n" + "x".repeat(200) + "\r\n0\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r.body(), "body")).isEqualTo("200");
            c.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\n" + "y".repeat(50));
            assertThat(c.readResponse().status()).isEqualTo(413);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // At the connection cap the listener stops accepting (counted); a freed slot lets the next one in.
    @Test
    void connectionCapHoldsNewConnectionsInTheBacklog() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, 2));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawHttp c = RawHttp.connect(server.address());
                held.add(c);
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
            }
            assertThat(server.events.count("connectionLimitReached")).isEqualTo(1);
            RawHttp third = RawHttp.connect(server.address());
            held.add(third);
            third.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            third.assertOpenFor(Duration.ofMillis(300)); // no answer: waiting in the backlog
            held.get(0).close();
            assertThat(third.readResponse().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(3)).until(() -> server.events.count("connectionClosed") >= 1);
        } finally {
            held.forEach(RawHttp::close);
        }
    }
}
