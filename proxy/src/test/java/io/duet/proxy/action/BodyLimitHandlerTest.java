package io.duet.proxy.action;

import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BodyLimitHandlerTest {

    private final TestServers servers = new TestServers();
    private final AtomicInteger reachedNext = new AtomicInteger();

    @AfterEach
    void close() {
        servers.close();
    }

    /** Next handler: reads the whole body and answers with its length. */
    private HttpHandler countingBody() {
        return ex -> {
            reachedNext.incrementAndGet();
            ex.getRequestReceiver().receiveFullBytes(
                    (e, bytes) -> e.getResponseSender().send("read " + bytes.length, StandardCharsets.UTF_8),
                    (e, error) -> {
                        e.setStatusCode(413);
                        e.endExchange();
                    });
        };
    }

    // A declared length over the limit gets 413 with the error id, without the body, and the connection is closed.
    @Test
    void declaredLengthOverLimit() throws Exception {
        URI base = servers.start(new BodyLimitHandler(100, countingBody()));
        // Only the head is sent: the answer must not wait for the 1 MB body.
        String response = TestServers.raw(base, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n"
                + "Accept: application/json\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close")
                .contains("\"id\":\"DUET-PROXY-0413\"").doesNotContain("[TIMEOUT]");
        assertThat(reachedNext).hasValue(0);
    }

    // A body within the limit reaches the next handler whole, on a connection that stays usable.
    @Test
    void withinLimit() throws Exception {
        URI base = servers.start(new BodyLimitHandler(100, countingBody()));
        String body = "x".repeat(100);
        String response = TestServers.raw(base, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + body
                + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
        assertThat(response).startsWith("HTTP/1.1 200").contains("read 100", "read 3").doesNotContain("[TIMEOUT]");
    }

    // A chunked body that grows past the limit is cut off by the exchange's max entity size, never read whole.
    @Test
    void chunkedOverLimit() throws Exception {
        URI base = servers.start(new BodyLimitHandler(100, countingBody()));
        String chunk = "x".repeat(80);
        String response = TestServers.raw(base, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "50\r\n" + chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(response).doesNotContain("read 160").doesNotContain("[TIMEOUT]");
        assertThat(reachedNext).hasValue(1);
    }

    // A limit of 0 still lets body-less requests through.
    @Test
    void zeroLimitAllowsNoBody() throws Exception {
        URI base = servers.start(new BodyLimitHandler(0, countingBody()));
        assertThat(TestServers.raw(base, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).contains("read 0");
    }

    // Through Undertow's ProxyHandler, a chunked body over the limit never reaches the backend whole.
    @Test
    void chunkedOverLimitThroughProxy() throws Exception {
        URI backend = servers.start(countingBody());
        URI proxy = servers.start(new BodyLimitHandler(100, servers.proxyTo(backend)));
        String chunk = "x".repeat(80);
        String response = TestServers.raw(proxy, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "50\r\n" + chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(response).doesNotContain("read 160").doesNotContain("[TIMEOUT]");
        // Within the limit the same path forwards the whole chunked body.
        String ok = TestServers.raw(proxy, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "50\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(ok).startsWith("HTTP/1.1 200").contains("read 80");
    }
}
