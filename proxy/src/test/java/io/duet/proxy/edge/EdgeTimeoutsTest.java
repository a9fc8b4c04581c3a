package io.duet.proxy.edge;

import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Time limits at the edge: header deadline (slowloris), slow body, idle keep-alive. */
class EdgeTimeoutsTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    // Headers trickled faster than any idle timeout still get 408 and EOF once the header deadline passes.
    @Test
    void slowlorisGets408AtTheHeaderDeadline() {
        server.start(EdgeServer.limits(null, null, null, null, 500L, 5_000L, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            long start = System.nanoTime();
            c.sendSlowly("GET / HTTP/1.1\r\nHost: a\r\nX-1: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nX-2: b\r\n", 2, Duration.ofMillis(40));
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("headerTimeout")).isEqualTo(1);
    }

    // A complete head within the deadline is served even when it arrived in pieces.
    @Test
    void headerSentInPiecesWithinTheDeadlinePasses() {
        server.start(EdgeServer.limits(null, null, null, null, 2_000L, 5_000L, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.sendSlowly("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n", 8, Duration.ofMillis(20));
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }

    // A body that stops arriving for longer than bodyTimeoutMs gets 408 and EOF.
    @Test
    void pausedBodyGets408() {
        server.start(EdgeServer.limits(null, null, null, null, 2_000L, 5_000L, 400L, 0L, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(408);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("slowBody")).isEqualTo(1);
    }

    // A body trickled below minBodyBytesPerSecond (but never pausing long) gets 408 after its first second.
    @Test
    void bodyBelowTheMinimumRateGets408() {
        server.start(EdgeServer.limits(null, null, null, null, 2_000L, 5_000L, 1_000L, 100L, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
            c.sendSlowly("x".repeat(40), 1, Duration.ofMillis(50)); // about 20 bytes/s for 2 s
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(408);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // An idle keep-alive connection is closed (no response) after idleTimeoutMs.
    @Test
    void idleKeepAliveConnectionIsClosed() {
        server.start(EdgeServer.limits(null, null, null, null, 5_000L, 400L, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // A fresh connection that never sends a byte is closed after idleTimeoutMs.
    @Test
    void silentNewConnectionIsClosed() {
        server.start(EdgeServer.limits(null, null, null, null, 5_000L, 400L, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }
}
