package io.duet.proxy.http2;

import io.duet.proxy.testing.RawBackend;
import io.duet.proxy.testing.RawH2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.duet.proxy.http2.H2Edge.HOST;
import static io.duet.proxy.testing.RawH2.CONTINUATION;
import static io.duet.proxy.testing.RawH2.DATA;
import static io.duet.proxy.testing.RawH2.END_HEADERS;
import static io.duet.proxy.testing.RawH2.END_STREAM;
import static io.duet.proxy.testing.RawH2.GOAWAY;
import static io.duet.proxy.testing.RawH2.HEADERS;
import static io.duet.proxy.testing.RawH2.PADDED;
import static io.duet.proxy.testing.RawH2.PING;
import static io.duet.proxy.testing.RawH2.PRIORITY;
import static io.duet.proxy.testing.RawH2.PRIORITY_FLAG;
import static io.duet.proxy.testing.RawH2.PUSH_PROMISE;
import static io.duet.proxy.testing.RawH2.RST_STREAM;
import static io.duet.proxy.testing.RawH2.SETTINGS;
import static io.duet.proxy.testing.RawH2.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection-level rules of RFC 9113 sections 3 to 6 at the edge, case by case on a new connection each: a
 * connection error is GOAWAY with its code and the connection closed, a stream error RST_STREAM on that stream with
 * the connection going on, and what must be ignored is ignored (a request on the same connection is still served).
 * Nothing sent in breach of a rule reaches the backend.
 */
class Http2ConnectionRulesTest {
    static H2Edge edge;

    @BeforeAll
    static void start() throws Exception {
        edge = H2Edge.start();
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    static byte[] get(String path) {
        return RawH2.fields(":method", "GET", ":scheme", "https", ":path", path, ":authority", HOST);
    }

    static byte[] post(String path) {
        return RawH2.fields(":method", "POST", ":scheme", "https", ":path", path, ":authority", HOST);
    }

    static Arguments conn(String name, int code, H2Edge.Sender sender) {
        return Arguments.of(name, code, sender);
    }

    static Stream<Arguments> connectionErrors() {
        byte[] ping = new byte[8];
        return Stream.of(
                // 4.2 frame size: over SETTINGS_MAX_FRAME_SIZE (16384 by default)
                conn("4.2 DATA over the maximum frame size", RawH2.FRAME_SIZE_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/c/big-data"));
                    c.frame(DATA, END_STREAM, 1, new byte[16_385]);
                }),
                conn("4.2 HEADERS over the maximum frame size", RawH2.FRAME_SIZE_ERROR, c -> {
                    byte[] big = RawH2.fields(":method", "GET", ":scheme", "https", ":path", "/c/big-headers",
                            ":authority", HOST, "x-big", "a".repeat(16_400));
                    c.frame(HEADERS, END_HEADERS | END_STREAM, 1, big);
                }),
                // 4.3 header compression and the header block
                conn("4.3 undecodable header block", RawH2.COMPRESSION_ERROR,
                        c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 1, new byte[]{(byte) 0x80})),
                conn("4.3 PRIORITY inside a header block", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_STREAM, 1, get("/c/prio-in-block"));
                    c.frame(PRIORITY, 0, 1, new byte[]{0, 0, 0, 0, 16});
                    c.frame(CONTINUATION, END_HEADERS, 1, RawH2.fields("x-a", "1"));
                }),
                conn("4.3 HEADERS of another stream inside a header block", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_STREAM, 1, get("/c/other-in-block"));
                    c.frame(HEADERS, END_HEADERS | END_STREAM, 3, get("/c/other-in-block-3"));
                }),
                conn("6.10 CONTINUATION of another stream", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_STREAM, 1, get("/c/cont-other"));
                    c.frame(CONTINUATION, END_HEADERS, 3, RawH2.fields("x-a", "1"));
                }),
                conn("6.10 CONTINUATION after END_HEADERS", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/c/cont-after"));
                    c.frame(CONTINUATION, END_HEADERS, 1, RawH2.fields("x-a", "1"));
                }),
                conn("6.10 CONTINUATION on stream 0", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(CONTINUATION, END_HEADERS, 0, RawH2.fields("x-a", "1"))),
                conn("6.2 DATA inside a header block", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, 0, 1, post("/c/data-in-block"));
                    c.frame(DATA, END_STREAM, 1, new byte[4]);
                }),
                // 5.1 stream states
                conn("5.1 DATA on an idle stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(DATA, END_STREAM, 1, new byte[4])),
                conn("5.1 RST_STREAM on an idle stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(RST_STREAM, 0, 1, RawH2.int32(8))),
                conn("5.1 WINDOW_UPDATE on an idle stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(WINDOW_UPDATE, 0, 1, RawH2.int32(100))),
                conn("5.1 CONTINUATION on an idle stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(CONTINUATION, END_HEADERS, 1, get("/c/cont-idle"))),
                // 5.1.1 stream identifiers
                conn("5.1.1 even stream id from a client", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 2, get("/c/even"))),
                conn("5.1.1 stream id lower than an earlier one", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS | END_STREAM, 5, get("/ok/five"));
                    c.frame(HEADERS, END_HEADERS | END_STREAM, 3, get("/c/three"));
                }),
                // 6.x frames on the wrong stream, frames of the wrong size
                conn("6.1 DATA on stream 0", RawH2.PROTOCOL_ERROR, c -> c.frame(DATA, 0, 0, new byte[0])),
                conn("6.1 DATA padding longer than the frame", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/c/pad-data"));
                    c.frame(DATA, PADDED | END_STREAM, 1, new byte[]{10, 1, 2});
                }),
                conn("6.2 HEADERS on stream 0", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 0, get("/c/zero"))),
                conn("6.2 HEADERS padding longer than the frame", RawH2.PROTOCOL_ERROR, c -> {
                    byte[] block = get("/c/pad-headers");
                    byte[] p = new byte[1 + block.length];
                    p[0] = (byte) (block.length + 5);
                    System.arraycopy(block, 0, p, 1, block.length);
                    c.frame(HEADERS, PADDED | END_HEADERS | END_STREAM, 1, p);
                }),
                conn("6.3 PRIORITY on stream 0", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(PRIORITY, 0, 0, new byte[]{0, 0, 0, 1, 16})),
                conn("6.4 RST_STREAM on stream 0", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(RST_STREAM, 0, 0, RawH2.int32(8))),
                conn("6.4 RST_STREAM of 3 bytes", RawH2.FRAME_SIZE_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/c/rst-size"));
                    c.frame(RST_STREAM, 0, 1, new byte[3]);
                }),
                conn("6.5 SETTINGS ACK with a payload", RawH2.FRAME_SIZE_ERROR,
                        c -> c.frame(SETTINGS, RawH2.ACK, 0, RawH2.settings(RawH2.SETTINGS_ENABLE_PUSH, 0))),
                conn("6.5 SETTINGS on a stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(SETTINGS, 0, 1, new byte[0])),
                conn("6.5 SETTINGS of 3 bytes", RawH2.FRAME_SIZE_ERROR, c -> c.frame(SETTINGS, 0, 0, new byte[3])),
                conn("6.5.2 ENABLE_PUSH 2", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(SETTINGS, 0, 0, RawH2.settings(RawH2.SETTINGS_ENABLE_PUSH, 2))),
                conn("6.5.2 INITIAL_WINDOW_SIZE over 2^31-1", RawH2.FLOW_CONTROL_ERROR,
                        c -> c.frame(SETTINGS, 0, 0, RawH2.settings(RawH2.SETTINGS_INITIAL_WINDOW_SIZE, 1L << 31))),
                conn("6.5.2 MAX_FRAME_SIZE under 16384", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(SETTINGS, 0, 0, RawH2.settings(RawH2.SETTINGS_MAX_FRAME_SIZE, 16_383))),
                conn("6.5.2 MAX_FRAME_SIZE over 2^24-1", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(SETTINGS, 0, 0, RawH2.settings(RawH2.SETTINGS_MAX_FRAME_SIZE, 1 << 24))),
                conn("6.6 PUSH_PROMISE from a client", RawH2.PROTOCOL_ERROR, c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/c/push"));
                    byte[] block = get("/c/pushed");
                    byte[] p = new byte[4 + block.length];
                    p[3] = 2;
                    System.arraycopy(block, 0, p, 4, block.length);
                    c.frame(PUSH_PROMISE, END_HEADERS, 1, p);
                }),
                conn("6.7 PING on a stream", RawH2.PROTOCOL_ERROR, c -> c.frame(PING, 0, 1, ping)),
                conn("6.7 PING of 6 bytes", RawH2.FRAME_SIZE_ERROR, c -> c.frame(PING, 0, 0, new byte[6])),
                conn("6.8 GOAWAY on a stream", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(GOAWAY, 0, 1, new byte[8])),
                conn("6.9 WINDOW_UPDATE of 0 on the connection", RawH2.PROTOCOL_ERROR,
                        c -> c.frame(WINDOW_UPDATE, 0, 0, RawH2.int32(0))),
                conn("6.9 WINDOW_UPDATE of 3 bytes", RawH2.FRAME_SIZE_ERROR,
                        c -> c.frame(WINDOW_UPDATE, 0, 0, new byte[3])),
                conn("6.9.1 connection window over 2^31-1", RawH2.FLOW_CONTROL_ERROR, c -> {
                    c.frame(WINDOW_UPDATE, 0, 0, RawH2.int32(0x7fffffff));
                    c.frame(WINDOW_UPDATE, 0, 0, RawH2.int32(0x7fffffff));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionErrors")
    void connectionError(String name, int code, H2Edge.Sender sender) throws Exception {
        int before = edge.backend.targets().size();
        H2Edge.Outcome o = edge.exchangeUntilClosed(sender);
        H2Edge.assertConnectionError(o, code);
        edge.assertNotForwarded("/c/never"); // a round trip: what was forwarded has reached the backend by now
        // A request whose head was well-formed may have gone ahead of the breach (a proxy streams); none completed.
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().startsWith("/c/"));
        assertThat(edge.backend.targets().subList(before, edge.backend.targets().size()))
                .as("no request from inside a breach").doesNotContain("/c/other-in-block-3", "/c/three",
                        "/c/pushed", "/c/cont-idle", "/c/zero", "/c/even", "/c/no-settings");
    }

    static Stream<Arguments> streamErrors() {
        return Stream.of(
                Arguments.of("5.3.1 HEADERS depending on itself", RawH2.PROTOCOL_ERROR, (H2Edge.Sender) c -> {
                    byte[] block = get("/s/self-dep");
                    byte[] p = new byte[5 + block.length];
                    p[3] = 1; // stream dependency 1 = itself
                    p[4] = 16;
                    System.arraycopy(block, 0, p, 5, block.length);
                    c.frame(HEADERS, PRIORITY_FLAG | END_HEADERS | END_STREAM, 1, p);
                }),
                Arguments.of("5.3.1 PRIORITY depending on itself", RawH2.PROTOCOL_ERROR, (H2Edge.Sender) c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/s/self-prio"));
                    c.frame(PRIORITY, 0, 1, new byte[]{0, 0, 0, 1, 16});
                }),
                Arguments.of("6.9 WINDOW_UPDATE of 0 on a stream", RawH2.PROTOCOL_ERROR, (H2Edge.Sender) c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/s/wu-zero"));
                    c.frame(WINDOW_UPDATE, 0, 1, RawH2.int32(0));
                }),
                Arguments.of("6.9.1 stream window over 2^31-1", RawH2.FLOW_CONTROL_ERROR, (H2Edge.Sender) c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/s/wu-over"));
                    c.frame(WINDOW_UPDATE, 0, 1, RawH2.int32(0x7fffffff));
                    c.frame(WINDOW_UPDATE, 0, 1, RawH2.int32(0x7fffffff));
                }),
                Arguments.of("5.1 DATA after END_STREAM", RawH2.STREAM_CLOSED, (H2Edge.Sender) c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/s/data-after-end"));
                    c.frame(DATA, END_STREAM, 1, new byte[0]);
                    c.frame(DATA, END_STREAM, 1, "GET /s/smuggled HTTP/1.1\r\nHost: h2.test\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                }),
                Arguments.of("5.1 DATA after the client's RST_STREAM", RawH2.STREAM_CLOSED, (H2Edge.Sender) c -> {
                    c.frame(HEADERS, END_HEADERS, 1, post("/s/data-after-rst"));
                    c.frame(RST_STREAM, 0, 1, RawH2.int32(8));
                    c.frame(DATA, END_STREAM, 1, "late".getBytes(StandardCharsets.US_ASCII));
                }));
    }

    // Stream errors: RST_STREAM with the code, or, as RFC 9113 5.4.1 allows, the same code as a connection error.
    @ParameterizedTest(name = "{0}")
    @MethodSource("streamErrors")
    void streamError(String name, int code, H2Edge.Sender sender) throws Exception {
        int before = edge.backend.targets().size();
        H2Edge.Outcome o = edge.exchangeWithoutPing(sender, 1);
        H2Edge.assertStreamOrConnectionError(o, 1, code);
        edge.assertNotForwarded("/s/smuggled");
        // the cases' requests are well-formed until the breach; none of them ever gets a body through
        assertThat(edge.backend.requests()).filteredOn(r -> r.target().startsWith("/s/"))
                .allMatch(r -> r.body().length == 0);
    }

    // A client that resets its stream in the middle of an upload: the server never gets the request as complete
    // (a truncated body passed off as the whole one).
    @Test
    void uploadResetByTheClientNeverCompletes() throws Exception {
        H2Edge.Outcome o = edge.exchange(c -> {
            c.frame(HEADERS, END_HEADERS, 1, post("/s/reset-upload"));
            c.frame(DATA, 0, 1, "part".getBytes(StandardCharsets.US_ASCII));
            c.frame(RST_STREAM, 0, 1, RawH2.int32(8)); // CANCEL
        }, 0);
        assertThat(o.goAway()).as("%s", o.summary()).isEmpty();
        edge.assertNotForwarded("/s/never");
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().equals("/s/reset-upload"));
    }

    /**
     * An edge whose pool takes one request at a time, with that slot taken by a request the backend holds until
     * {@code release}: what comes next waits in the pool's queue, and nobody reads its body.
     */
    private record Queued(H2Edge edge, RawH2 holder, java.util.concurrent.CountDownLatch release)
            implements AutoCloseable {
        static Queued start() throws Exception {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            RawBackend.Script script = (req, ex) -> {
                if (req.target().equals("/hold")) {
                    holding.countDown();
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                ex.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            };
            H2Edge edge = H2Edge.start(script, new io.duet.config.ServerLimit(1, 10, 10_000L));
            RawH2 holder = RawH2.connect(edge.port, HOST);
            holder.frame(HEADERS, END_HEADERS | END_STREAM, 1, get("/hold"));
            holder.flush();
            assertThat(holding.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the slot is taken").isTrue();
            return new Queued(edge, holder, release);
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            holder.close();
            edge.close();
        }
    }

    // 6.9.1: DATA beyond the connection's flow-control window is a connection error FLOW_CONTROL_ERROR, not
    // something to buffer. The upload waits in the pool's queue (see Queued), so no WINDOW_UPDATE is given: 65,536
    // bytes exceed the 65,535 of the window.
    @Test
    void dataBeyondTheConnectionWindowEndsTheConnection() throws Exception {
        try (Queued q = Queued.start()) {
            H2Edge.Outcome o = q.edge().exchangeUntilClosed(c -> {
                c.frame(HEADERS, END_HEADERS, 1, post("/c/window"));
                for (int i = 0; i < 4; i++) {
                    c.frame(DATA, 0, 1, new byte[16_384]);
                }
            });
            H2Edge.assertConnectionError(o, RawH2.FLOW_CONTROL_ERROR);
            q.release().countDown();
            assertThat(q.edge().backend.requests()).noneMatch(r -> r.target().equals("/c/window"));
        }
    }

    // Right at the window (65,535 bytes, nothing read) the upload waits, and goes through once the slot is free.
    @Test
    void dataUpToTheConnectionWindowWaits() throws Exception {
        try (Queued q = Queued.start()) {
            H2Edge.Outcome o = q.edge().exchange(c -> {
                c.frame(HEADERS, END_HEADERS, 1, post("/ok/window"));
                for (int i = 0; i < 3; i++) {
                    c.frame(DATA, 0, 1, new byte[16_384]);
                }
                c.frame(DATA, END_STREAM, 1, new byte[16_383]);
                c.flush();
                q.release().countDown();
            }, 1);
            H2Edge.assertServed(o, 1);
            assertThat(q.edge().forwarded("/ok/window").body()).hasSize(65_535);
        }
    }

    // The window is counted right: an upload many times the window, by a client that waits for WINDOW_UPDATEs (the
    // JDK's), goes through whole.
    @Test
    void largeUploadWithinTheWindowsGoesThrough() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2)
                .sslContext(io.duet.testkit.tls.TrustAll.context()).build();
        byte[] body = new byte[1 << 20];
        java.util.Arrays.fill(body, (byte) 'u');
        java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + edge.port + "/ok/upload"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(edge.forwarded("/ok/upload").body()).hasSize(1 << 20);
    }

    static Stream<Arguments> ignored() {
        return Stream.of(
                Arguments.of("4.1 unknown frame type", (H2Edge.Sender) c -> c.frame(0x20, 0, 0, new byte[5])),
                Arguments.of("4.1 unknown flags on PING", (H2Edge.Sender) c -> c.frame(PING, 0x16, 0, new byte[8])),
                Arguments.of("4.1 reserved bit of the stream id", (H2Edge.Sender) c -> c.write(new byte[]{
                        0, 0, 8, PING, 0, (byte) 0x80, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})),
                Arguments.of("5.5 unknown frame inside the connection, between requests",
                        (H2Edge.Sender) c -> c.frame(0xfa, 0xff, 3, new byte[100])),
                Arguments.of("6.5.2 unknown setting", (H2Edge.Sender) c -> c.frame(SETTINGS, 0, 0,
                        RawH2.settings(0xfe, 12345))),
                Arguments.of("6.7 PING ACK nobody asked for", (H2Edge.Sender) c -> c.frame(PING, RawH2.ACK, 0,
                        new byte[8])),
                Arguments.of("6.2 HEADERS padded correctly", (H2Edge.Sender) c -> {
                    byte[] block = get("/ok/padded");
                    byte[] p = new byte[1 + block.length + 7];
                    p[0] = 7;
                    System.arraycopy(block, 0, p, 1, block.length);
                    c.frame(HEADERS, PADDED | END_HEADERS | END_STREAM, 3, p);
                }));
    }

    // What a receiver must ignore is ignored: a request sent after it on the same connection is served.
    @ParameterizedTest(name = "{0}")
    @MethodSource("ignored")
    void ignoredAndServed(String name, H2Edge.Sender sender) throws Exception {
        H2Edge.Outcome o = edge.exchange(c -> {
            sender.send(c);
            c.frame(HEADERS, END_HEADERS | END_STREAM, 5, get("/ok/after"));
        }, 5);
        H2Edge.assertServed(o, 5);
    }

    // A connection error while the peer is still sending: the server shuts its side and reads on until the peer
    // stops (a lingering close), so its GOAWAY is read instead of being destroyed by a TCP reset. The peer goes on
    // writing for 300 ms after the breach, and only then reads.
    @Test
    void goAwayReachesAPeerThatKeepsSending() throws Exception {
        try (RawH2 c = RawH2.connect(edge.port, HOST)) {
            c.frame(SETTINGS, 0, 1, new byte[0]); // SETTINGS on a stream: PROTOCOL_ERROR
            c.flush();
            long until = System.nanoTime() + 300_000_000L;
            byte[] filler = new byte[8 * 1024];
            while (System.nanoTime() < until) {
                c.write(filler);
                c.flush();
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // pacing the sender, not a wait
            }
            H2Edge.Outcome o = H2Edge.collect(c, -1, false);
            H2Edge.assertConnectionError(o, RawH2.PROTOCOL_ERROR);
        }
    }

    // 3.4: a connection that does not start with the client preface is closed without a request served.
    @Test
    void wrongPrefaceEndsTheConnection() throws Exception {
        int before = edge.backend.targets().size();
        try (RawH2 c = RawH2.handshake(edge.port, HOST)) {
            c.write("GET / HTTP/1.1\r\nHost: h2.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.flush();
            H2Edge.Outcome o = H2Edge.collect(c, -1, false);
            assertThat(o.closed()).as("closed; %s", o.summary()).isTrue();
            assertThat(o.responded(1)).isFalse();
        }
        edge.assertNothingForwardedSince(before, "/");
    }

    // 3.4: the preface must be followed by SETTINGS; anything else is a connection error.
    @Test
    void prefaceWithoutSettingsEndsTheConnection() throws Exception {
        int before = edge.backend.targets().size();
        try (RawH2 c = RawH2.handshake(edge.port, HOST)) {
            c.write(RawH2.PREFACE);
            c.frame(HEADERS, END_HEADERS | END_STREAM, 1, get("/c/no-settings"));
            c.flush();
            H2Edge.Outcome o = H2Edge.collect(c, -1, false);
            assertThat(o.closed()).as("closed; %s", o.summary()).isTrue();
            assertThat(o.responded(1)).as("no response; %s", o.summary()).isFalse();
        }
        edge.assertNothingForwardedSince(before, "/c/");
    }
}
