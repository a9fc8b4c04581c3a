package io.duet.proxy.edge;

import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1 message framing at the edge: every ambiguous or malformed head gets 400 and a closed connection. */
class EdgeFramingTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    static Stream<Arguments> badFraming() {
        String h = "POST /x HTTP/1.1\r\nHost: a\r\n";
        return Stream.of(
                Arguments.of("CL and TE together", h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE xchunked", h + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE chunked, chunked", h + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE twice", h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE gzip", h + "Transfer-Encoding: gzip\r\n\r\nabc"),
                Arguments.of("TE gzip, chunked", h + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE space before colon", h + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE in HTTP/1.0", "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("two different CL", h + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
                Arguments.of("CL list", h + "Content-Length: 3, 4\r\n\r\nabcd"),
                Arguments.of("CL +5", h + "Content-Length: +5\r\n\r\nabcde"),
                Arguments.of("CL empty", h + "Content-Length: \r\n\r\n"),
                Arguments.of("CL non-digit", h + "Content-Length: 5a\r\n\r\nabcde"),
                Arguments.of("CL negative", h + "Content-Length: -1\r\n\r\n"),
                Arguments.of("bare CR in header value", h + "X-A: a\rb\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("bare CR ends a line", "GET /x HTTP/1.1\rHost: a\r\n\r\n"),
                Arguments.of("NUL in header value", h + "X-A: a\u0000b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("obs-fold", h + "X-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("space before colon", h + "X-A : b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("bad header name char", h + "X(A): b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("header without colon", h + "X-A b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("unknown protocol", "GET /x HTTP/1.7\r\nHost: a\r\n\r\n"),
                Arguments.of("HTTP/2 preface on h1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    }

    // Each malformed or ambiguous framing gets 400 (or 501 for a coding we do not implement) and EOF.
    @ParameterizedTest(name = "{0}")
    @MethodSource("badFraming")
    void badFramingIsRefusedAndClosed(String name, String request) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send(request);
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).as(name).isIn(400, 501);
            assertThat(r.body()).doesNotContain("method=");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // A malformed chunk size never reaches the handler as a body: the edge's strict chunk check answers 400
    // DUET-EDGE-0401 and closes the connection.
    @Test
    void malformedChunkSizeClosesTheConnection() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("DUET-EDGE-0401").doesNotContain("method=");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // A correct Content-Length body and a correct chunked body pass through, with the connection kept alive.
    @Test
    void wellFramedBodiesPassAndKeepAlive() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            RawHttp.Response r1 = c.readResponse();
            assertThat(r1.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r1.body(), "body")).isEqualTo("5");
            c.send("POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            RawHttp.Response r2 = c.readResponse();
            assertThat(r2.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r2.body(), "body")).isEqualTo("5");
            assertThat(EdgeServer.field(r2.body(), "path")).isEqualTo("/b");
        }
    }

    // Pipelined requests sent in one write are each answered, in order, and headers pass through unchanged.
    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\nX-Custom: v1\r\n\r\n"
                    + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
                    + "GET /three?q=1 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r1 = c.readResponse();
            assertThat(EdgeServer.field(r1.body(), "path")).isEqualTo("/one");
            assertThat(EdgeServer.lines(r1.body())).contains("h:x-custom=v1");
            RawHttp.Response r2 = c.readResponse();
            assertThat(EdgeServer.field(r2.body(), "path")).isEqualTo("/two");
            assertThat(EdgeServer.field(r2.body(), "body")).isEqualTo("3");
            RawHttp.Response r3 = c.readResponse();
            assertThat(EdgeServer.field(r3.body(), "path")).isEqualTo("/three");
            assertThat(EdgeServer.field(r3.body(), "query")).isEqualTo("q=1");
        }
    }
}
