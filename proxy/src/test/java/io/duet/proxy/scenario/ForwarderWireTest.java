package io.duet.proxy.scenario;

import io.duet.config.Pool;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Duet's own HTTP/1.1 forwarder on the wire: response framings (Content-Length, chunked with extensions and trailers,
 * until close), interim responses, strict response-head parsing, keep-alive reuse, request re-chunking, large bodies
 * in both directions with back-pressure, and the retry of a kept-alive connection the server closed under us.
 * Backends are raw sockets that write exactly the bytes each test needs.
 */
class ForwarderWireTest {
    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private ProxyFixture proxy(Pool pool) {
        return track(ProxyFixture.start(Scenarios.simple(pool)));
    }

    // Many requests on one client connection use one backend connection (keep-alive pooling), each answered in order.
    @Test
    void keepAliveConnectionIsReused() throws Exception {
        AtomicInteger n = new AtomicInteger();
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            String body = "r" + n.incrementAndGet();
            ex.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            for (int i = 1; i <= 20; i++) {
                assertThat(c.send(get("/" + i)).readResponse().body()).isEqualTo("r" + i);
            }
        }
        assertThat(b.connections()).isEqualTo(1);
    }

    // A server that closes its idle keep-alive connections: the pool notices the close (idle connections keep
    // reading) and drops the connection, so the next request and a POST after it open new ones and succeed.
    @Test
    void idleConnectionClosedByTheServerIsDropped() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            ex.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            ex.close(); // keep-alive announced, closed right after: the connection dies idle in Duet's pool
        }));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            assertThat(c.send(get("/1")).readResponse().body()).isEqualTo("ok");
            // The pool saw the server's close and dropped the idle connection.
            await().atMost(java.time.Duration.ofSeconds(5)).until(() -> proxy.dataPlane().openConnections("p", "b")
                    .orElseThrow() == 0);
            c.send("POST /2 HTTP/1.1\r\nHost: " + Scenarios.HOST + "\r\nContent-Length: 2\r\n\r\nhi");
            RawHttp.Response post = c.readResponse();
            assertThat(post.status()).isEqualTo(200);
            await().atMost(java.time.Duration.ofSeconds(5)).until(() -> proxy.dataPlane().openConnections("p", "b")
                    .orElseThrow() == 0);
            assertThat(c.send(get("/3")).readResponse().body()).isEqualTo("ok");
        }
        assertThat(b.connections()).isEqualTo(3);
        assertThat(b.requests()).hasSize(3);
    }

    // A chunked response with chunk extensions and trailers reaches the client whole; the connection is reused.
    @Test
    void chunkedResponseIsDecodedAndPassedOn() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> ex.write(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                        + "5;ext=1\r\nhello\r\n" + "1\r\n,\r\n" + "6\r\n world\r\n" + "0\r\nX-Trailer: t\r\n\r\n")));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.send(get("/")).readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello, world");
                assertThat(r.header("content-type")).isEqualTo("text/plain");
            }
        }
        assertThat(b.connections()).isEqualTo(1);
    }

    // A response delimited by the end of the connection (HTTP/1.0, no length) reaches the client whole, and the next
    // request goes over a new backend connection.
    @Test
    void responseUntilCloseIsPassedOn() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            ex.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "x".repeat(5000));
            ex.close();
        }));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            assertThat(c.send(get("/1")).readResponse().body()).isEqualTo("x".repeat(5000));
            assertThat(c.send(get("/2")).readResponse().body()).isEqualTo("x".repeat(5000));
        }
        assertThat(b.connections()).isEqualTo(2);
    }

    // 100 Continue and 103 Early Hints from the server are not passed on; the final response is.
    @Test
    void interimResponsesAreSkipped() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> ex.write(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(get("/")).readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(c.send(get("/again")).readResponse().body()).isEqualTo("ok");
        }
    }

    // A response head that could desynchronise the connection is refused: 502 with the stable id, never passed on.
    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
            "ICY 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\rX-A: 1\r\nContent-Length: 2\r\n\r\nok"})
    void invalidResponseHeadGives502(String response) throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> ex.write(response)));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(get("/")).readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("DUET-PROXY-0502");
        }
    }

    // Content-Length and Transfer-Encoding together: chunked framing wins (RFC 9112 6.3) and the backend connection
    // is not reused afterwards.
    @Test
    void transferEncodingWinsOverContentLength() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> ex.write(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            assertThat(c.send(get("/1")).readResponse().body()).isEqualTo("abc");
            assertThat(c.send(get("/2")).readResponse().body()).isEqualTo("abc");
        }
        assertThat(b.connections()).isEqualTo(2);
    }

    // A chunked request body is forwarded chunked (no Content-Length invented) and arrives whole.
    @Test
    void chunkedRequestBodyIsForwardedChunked() throws Exception {
        RawBackend b = track(RawBackend.start("b", RawBackend.ok("done")));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            c.send("POST /up HTTP/1.1\r\nHost: " + Scenarios.HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\n" + "3\r\nefg\r\n" + "0\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("done");
        }
        RawBackend.Request seen = b.requests().get(0);
        assertThat(seen.bodyText()).isEqualTo("abcdefg");
        assertThat(seen.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
        assertThat(seen.header("Content-Length")).isNull();
    }

    // 4 MiB up and 4 MiB down through one connection, byte for byte (both directions exercise back-pressure).
    @Test
    void largeBodiesStreamBothWays() throws Exception {
        byte[] up = pattern(4 << 20, 7);
        byte[] down = pattern(4 << 20, 13);
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            String digest = hex(MessageDigest.getInstance("SHA-256").digest(req.body()));
            ex.write("HTTP/1.1 200 OK\r\nX-Up-Digest: " + digest + "\r\nContent-Length: " + down.length + "\r\n\r\n");
            ex.output().write(down);
            ex.output().flush();
        }));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5_000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /big HTTP/1.1\r\nHost: " + Scenarios.HOST + "\r\nContent-Length: " + up.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(up);
            out.flush();
            InputStream in = s.getInputStream();
            Map<String, String> head = readHead(in);
            assertThat(head.get(":status")).as(() -> head + " " + new String(readSome(in))).isEqualTo("200");
            assertThat(head.get("x-up-digest")).isEqualTo(hex(MessageDigest.getInstance("SHA-256").digest(up)));
            assertThat(head.get("content-length")).isEqualTo(String.valueOf(down.length));
            byte[] got = in.readNBytes(down.length);
            assertThat(Arrays.equals(got, down)).isTrue();
        }
    }

    // The server closes a kept-alive connection just as the next request arrives (it answers nothing): a GET is
    // retried once on a fresh connection to the same server and succeeds; a POST is never resent (502).
    @Test
    void staleKeepAliveConnectionIsRetriedForIdempotentRequestsOnly() throws Exception {
        Map<RawBackend.Exchange, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            if (perConnection.computeIfAbsent(ex, k -> new AtomicInteger()).incrementAndGet() == 2) {
                ex.close(); // the second request on any connection finds it closed
                return;
            }
            ex.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }));
        ProxyFixture proxy = proxy(pool("p", server("b", b.port())));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            assertThat(c.send(get("/1")).readResponse().status()).isEqualTo(200);
            RawHttp.Response retried = c.send(get("/2")).readResponse();
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.body()).isEqualTo("ok");
        }
        assertThat(b.connections()).isEqualTo(2);
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            // The pooled connection (its first request was the retried GET) now fails the POST: not resent.
            c.send("POST /x HTTP/1.1\r\nHost: " + Scenarios.HOST + "\r\nContent-Length: 2\r\n\r\nhi");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("DUET-PROXY-0502");
        }
        assertThat(b.requests().stream().filter(r -> r.method().equals("POST")).count()).isEqualTo(1);
    }

    private static byte[] readSome(InputStream in) {
        try {
            return in.readNBytes(300);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * seed + (i >>> 11));
        }
        return b;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        Map<String, String> head = new java.util.HashMap<>();
        String status = RawHttp.readLine(in);
        head.put(":status", status.split(" ")[1]);
        for (String line = RawHttp.readLine(in); line != null && !line.isEmpty(); line = RawHttp.readLine(in)) {
            int colon = line.indexOf(':');
            head.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
        }
        return head;
    }
}
