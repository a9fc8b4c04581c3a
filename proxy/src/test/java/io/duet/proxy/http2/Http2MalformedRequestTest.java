package io.duet.proxy.http2;

import io.duet.proxy.testing.RawBackend;
import io.duet.proxy.testing.RawH2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.duet.proxy.http2.H2Edge.HOST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9113 section 8 at the edge: a malformed request (field names and values, connection-specific fields,
 * pseudo-header fields, content-length, trailers) is answered with RST_STREAM(PROTOCOL_ERROR), as a strict server
 * does, and nothing of it reaches the backend, which records every request head it reads. Each case runs on a new
 * connection with a path of its own.
 */
class Http2MalformedRequestTest {
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

    /** The four request pseudo-header fields for this path, then the extra fields, in that order. */
    static byte[] request(String path, String... extra) {
        List<String> f = new ArrayList<>(List.of(":method", "GET", ":scheme", "https", ":path", path,
                ":authority", HOST));
        f.addAll(List.of(extra));
        return RawH2.fields(f.toArray(String[]::new));
    }

    static Arguments malformed(String name, String... fields) {
        return Arguments.of(name, RawH2.fields(fields));
    }

    static Stream<Arguments> malformedHeaderBlocks() {
        String p = "/m/";
        return Stream.of(
                // 8.2.1 field values: no CR, LF or NUL anywhere, no leading or trailing whitespace
                Arguments.of("value with CR LF", request(p + "crlf", "x-inject", "a\r\nx-evil: 1")),
                Arguments.of("value with LF", request(p + "lf", "x-inject", "a\nx-evil: 1")),
                Arguments.of("value with CR", request(p + "cr", "x-inject", "a\rb")),
                Arguments.of("value with NUL", request(p + "nul", "x-inject", "a\0b")),
                Arguments.of("value with another control character", request(p + "ctl", "x-a", "a\u0001b")),
                Arguments.of("value with leading space", request(p + "lsp", "x-a", " a")),
                Arguments.of("value with trailing tab", request(p + "ttab", "x-a", "a\t")),
                Arguments.of(":path with a space", request(p + "sp ace")),
                Arguments.of(":authority with CR LF", RawH2.fields(":method", "GET", ":scheme", "https",
                        ":path", p + "authcrlf", ":authority", HOST + "\r\nx-evil: 1")),
                Arguments.of(":method with CR LF", RawH2.fields(":method", "GET /x HTTP/1.1\r\nx-evil: 1\r\n\r\nGET",
                        ":scheme", "https", ":path", p + "methodcrlf", ":authority", HOST)),
                // 8.2.1 field names: lowercase token characters only
                Arguments.of("name in upper case", request(p + "upper", "X-Upper", "1")),
                Arguments.of("name with a space", request(p + "namesp", "x bad", "1")),
                Arguments.of("name with a colon inside", request(p + "namecolon", "x:bad", "1")),
                // 8.2.2 connection-specific fields; TE other than trailers
                Arguments.of("connection", request(p + "connection", "connection", "keep-alive")),
                Arguments.of("keep-alive", request(p + "keepalive", "keep-alive", "timeout=5")),
                Arguments.of("proxy-connection", request(p + "proxyconn", "proxy-connection", "keep-alive")),
                Arguments.of("upgrade", request(p + "upgrade", "upgrade", "websocket")),
                Arguments.of("te: gzip", request(p + "tegzip", "te", "gzip")),
                Arguments.of("te: trailers, gzip", request(p + "telist", "te", "trailers, gzip")),
                // 8.3 pseudo-header fields
                Arguments.of("unknown pseudo-header", request(p + "unknownpseudo", ":foo", "bar")),
                Arguments.of(":status in a request", request(p + "status", ":status", "200")),
                Arguments.of("two :method", RawH2.fields(":method", "GET", ":method", "POST", ":scheme", "https",
                        ":path", p + "twomethod", ":authority", HOST)),
                Arguments.of("two :path", RawH2.fields(":method", "GET", ":scheme", "https", ":path",
                        p + "twopath", ":path", "/other", ":authority", HOST)),
                Arguments.of("two :scheme", RawH2.fields(":method", "GET", ":scheme", "https", ":scheme", "http",
                        ":path", p + "twoscheme", ":authority", HOST)),
                Arguments.of("two :authority", RawH2.fields(":method", "GET", ":scheme", "https", ":path",
                        p + "twoauth", ":authority", HOST, ":authority", "other.test")),
                Arguments.of("no :method", RawH2.fields(":scheme", "https", ":path", p + "nomethod",
                        ":authority", HOST)),
                Arguments.of("no :scheme", RawH2.fields(":method", "GET", ":path", p + "noscheme",
                        ":authority", HOST)),
                Arguments.of("no :path", RawH2.fields(":method", "GET", ":scheme", "https", ":authority", HOST,
                        "x-path", p + "nopath")),
                Arguments.of("empty :path", RawH2.fields(":method", "GET", ":scheme", "https", ":path", "",
                        ":authority", HOST, "x-path", p + "emptypath")),
                Arguments.of(":path without a leading slash", request("m/noslash")),
                Arguments.of(":path * for GET", RawH2.fields(":method", "GET", ":scheme", "https", ":path", "*",
                        ":authority", HOST, "x-path", p + "star")),
                Arguments.of(":authority with userinfo", RawH2.fields(":method", "GET", ":scheme", "https",
                        ":path", p + "userinfo", ":authority", "user:pw@" + HOST)),
                Arguments.of("host differs from :authority", request(p + "hostdiffers", "host", "other.test")),
                Arguments.of("two host fields", RawH2.fields(":method", "GET", ":scheme", "https", ":path",
                        p + "twohost", "host", HOST, "host", HOST)),
                Arguments.of("CONNECT with :path", RawH2.fields(":method", "CONNECT", ":scheme", "https",
                        ":path", p + "connect", ":authority", HOST)),
                // 8.1.1 content-length
                Arguments.of("content-length not a number", request(p + "clnan", "content-length", "abc")),
                Arguments.of("content-length negative", request(p + "clneg", "content-length", "-1")),
                Arguments.of("two different content-length", request(p + "cltwo", "content-length", "1",
                        "content-length", "2")),
                Arguments.of("content-length with END_STREAM", request(p + "clend", "content-length", "5")));
    }

    /**
     * Malformed header blocks that Undertow's HPACK decoding already refuses as a connection error (RFC 9113 5.4.1
     * allows treating a stream error so): GOAWAY with this code, the connection closed, nothing forwarded.
     */
    static Stream<Arguments> malformedEndingTheConnection() {
        String p = "/m/";
        return Stream.of(
                Arguments.of("name with CR LF", request(p + "namecrlf", "x-a\r\nx-evil", "1"), RawH2.PROTOCOL_ERROR),
                Arguments.of("empty name", request(p + "emptyname", "", "1"), RawH2.COMPRESSION_ERROR),
                Arguments.of("transfer-encoding", request(p + "te", "transfer-encoding", "chunked"),
                        RawH2.PROTOCOL_ERROR),
                Arguments.of("pseudo-header after a regular field", RawH2.fields(":method", "GET", ":scheme",
                        "https", "x-a", "1", ":path", p + "order", ":authority", HOST), RawH2.PROTOCOL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEndingTheConnection")
    void malformedRequestEndsTheConnection(String name, byte[] block, int code) throws Exception {
        int before = edge.backend.targets().size();
        H2Edge.Outcome o = edge.exchangeUntilClosed(c -> c.frame(RawH2.HEADERS,
                RawH2.END_HEADERS | RawH2.END_STREAM, 1, block));
        H2Edge.assertConnectionError(o, code);
        assertThat(o.responded(1)).as("no response").isFalse();
        edge.assertNothingForwardedSince(before, "/m/");
    }

    // Each malformed header block, sent as one HEADERS frame with END_STREAM: RST_STREAM(PROTOCOL_ERROR), the
    // connection goes on, and the backend never sees the request.
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaderBlocks")
    void malformedRequestIsResetAndNotForwarded(String name, byte[] block) throws Exception {
        int before = edge.backend.targets().size();
        H2Edge.Outcome o = edge.exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, block),
                1);
        H2Edge.assertStreamError(o, 1, RawH2.PROTOCOL_ERROR);
        edge.assertNothingForwardedSince(before, "/m/");
    }

    // 8.1.1: DATA beyond the declared content-length (here: a whole second HTTP/1.1 request) is malformed; the
    // backend never reads the extra bytes as a request of their own.
    @Test
    void dataBeyondContentLengthIsNotSmuggled() throws Exception {
        String smuggled = "GET /m/smuggled HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
        H2Edge.Outcome o = edge.exchangeWithoutPing(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/m/cl-over", ":authority", HOST, "content-length", "5"));
            c.frame(RawH2.DATA, RawH2.END_STREAM, 1, ("hello" + smuggled).getBytes(StandardCharsets.US_ASCII));
        }, 1);
        H2Edge.assertStreamOrConnectionError(o, 1, RawH2.PROTOCOL_ERROR);
        // The head may have gone ahead of the body (a proxy streams); the request never completes at the backend.
        edge.assertNotForwarded("/m/never");
        assertThat(edge.backend.targets()).doesNotContain("/m/smuggled");
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().equals("/m/cl-over"));
    }

    // 8.1.1: a stream that ends with fewer bytes than its content-length is malformed: reset, and the backend never
    // gets a complete request.
    @Test
    void dataShortOfContentLengthIsReset() throws Exception {
        H2Edge.Outcome o = edge.exchangeWithoutPing(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/m/cl-under", ":authority", HOST, "content-length", "10"));
            c.frame(RawH2.DATA, RawH2.END_STREAM, 1, "hello".getBytes(StandardCharsets.US_ASCII));
        }, 1);
        H2Edge.assertStreamOrConnectionError(o, 1, RawH2.PROTOCOL_ERROR);
        edge.assertNotForwarded("/m/never"); // a round trip, so that a forwarded request would be recorded by now
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().equals("/m/cl-under"));
    }

    // 8.1: trailers must not carry pseudo-header fields; such a request is malformed.
    @Test
    void pseudoHeaderInTrailersIsMalformed() throws Exception {
        H2Edge.Outcome o = edge.exchangeWithoutPing(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/m/trailer-pseudo", ":authority", HOST, "te", "trailers"));
            c.frame(RawH2.DATA, 0, 1, "body".getBytes(StandardCharsets.US_ASCII));
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, RawH2.fields(":path", "/evil"));
        }, 1);
        H2Edge.assertStreamOrConnectionError(o, 1, RawH2.PROTOCOL_ERROR);
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().equals("/m/trailer-pseudo"));
    }

    // 8.1: a trailer section without END_STREAM is malformed.
    @Test
    void trailersWithoutEndStreamAreMalformed() throws Exception {
        H2Edge.Outcome o = edge.exchangeWithoutPing(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/m/trailer-open", ":authority", HOST));
            c.frame(RawH2.DATA, 0, 1, "body".getBytes(StandardCharsets.US_ASCII));
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields("x-trailer", "1"));
        }, 1);
        H2Edge.assertStreamOrConnectionError(o, 1, RawH2.PROTOCOL_ERROR);
        assertThat(edge.backend.requests()).noneMatch(r -> r.target().equals("/m/trailer-open"));
    }

    // The well-formed counterparts are served: te: trailers, a body matching its content-length, :authority only.
    @Test
    void wellFormedRequestsAreServed() throws Exception {
        H2Edge.Outcome te = edge.exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                request("/ok/te", "te", "trailers")), 1);
        H2Edge.assertServed(te, 1);
        H2Edge.Outcome body = edge.exchange(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/ok/body", ":authority", HOST, "content-length", "5"));
            c.frame(RawH2.DATA, RawH2.END_STREAM, 1, "hello".getBytes(StandardCharsets.US_ASCII));
        }, 1);
        H2Edge.assertServed(body, 1);
        RawBackend.Request r = edge.forwarded("/ok/body");
        assertThat(r.bodyText()).isEqualTo("hello");
        assertThat(r.header("Content-Length")).isEqualTo("5");
        assertThat(r.header("Transfer-Encoding")).isNull();
    }

    // 8.3.1: host instead of :authority is accepted (it names the same authority); a host equal to :authority too.
    @Test
    void hostWithoutAuthorityIsServed() throws Exception {
        H2Edge.Outcome o = edge.exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                RawH2.fields(":method", "GET", ":scheme", "https", ":path", "/ok/host", "host", HOST)), 1);
        H2Edge.assertServed(o, 1);
        assertThat(edge.forwarded("/ok/host").header("Host")).isEqualTo(HOST);
        H2Edge.Outcome same = edge.exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                request("/ok/host-same", "host", HOST)), 1);
        H2Edge.assertServed(same, 1);
        assertThat(edge.forwarded("/ok/host-same").count("Host")).isEqualTo(1);
    }

    // 8.2.3: cookie fields split into crumbs reach an HTTP/1.1 server as one Cookie line joined with "; ".
    @Test
    void cookieCrumbsAreJoined() throws Exception {
        H2Edge.Outcome o = edge.exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                request("/ok/cookies", "cookie", "a=1", "cookie", "b=2", "cookie", "c=3")), 1);
        H2Edge.assertServed(o, 1);
        RawBackend.Request r = edge.forwarded("/ok/cookies");
        assertThat(r.count("Cookie")).isEqualTo(1);
        assertThat(r.header("Cookie")).isEqualTo("a=1; b=2; c=3");
    }

    // The malformed case's other streams on the same connection are not affected: a good request after a reset one.
    @Test
    void otherStreamsGoOn() throws Exception {
        H2Edge.Outcome o = edge.exchange(c -> {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                    request("/m/first", "x-inject", "a\r\nx-evil: 1"));
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 3, request("/ok/second"));
        }, 3);
        H2Edge.assertStreamError(o, 1, RawH2.PROTOCOL_ERROR);
        H2Edge.assertServed(o, 3);
        assertThat(edge.forwarded("/ok/second").header("x-evil")).isNull();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
