package io.duet.proxy.scenario;

import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.1 message semantics through the whole data plane: 100-continue, pipelining, bodiless responses. */
class ProtocolScenarioTest {
    private static RawBackend raw;
    private static ProxyFixture rawProxy;
    private static StubBackend stub;
    private static ProxyFixture stubProxy;

    @BeforeAll
    static void start() throws Exception {
        raw = RawBackend.start("raw", (req, ex) -> {
            switch (req.target()) {
                case "/204" -> ex.write("HTTP/1.1 204 No Content\r\nX-Kind: none\r\n\r\n");
                case "/304" -> ex.write("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n");
                default -> {
                    String body = req.method().equals("POST") ? "got " + req.bodyText() : "page " + req.target();
                    ex.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                            + "\r\n\r\n" + (req.method().equals("HEAD") ? "" : body));
                }
            }
        });
        rawProxy = ProxyFixture.start(Scenarios.simple(pool("p", server("raw", raw.port()))));
        stub = StubBackend.start("stub");
        stubProxy = ProxyFixture.start(Scenarios.simple(pool("p", server("stub", stub.port()))));
    }

    @AfterAll
    static void stop() {
        rawProxy.close();
        stubProxy.close();
        raw.close();
        stub.close();
    }

    // Expect: 100-continue: the client gets 100 before sending its body, then the final response; the body arrives.
    @Test
    void expectContinuePost() {
        try (Wire c = Wire.connect(rawProxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
            Wire.Head interim = c.readHead();
            assertThat(interim.status()).isEqualTo(100);
            c.send("hello world");
            Wire.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(new String(c.readUpTo(Integer.parseInt(head.header("content-length"))),
                    StandardCharsets.ISO_8859_1)).isEqualTo("got hello world");
        }
        assertThat(raw.requests()).anySatisfy(r -> assertThat(r.bodyText()).isEqualTo("hello world"));
    }

    // Three GETs in one write are answered in order on the same connection.
    @Test
    void pipelinedRequestsAnsweredInOrder() {
        try (RawHttp c = RawHttp.connect(address(stubProxy.port()))) {
            c.send(get("/one") + get("/two") + get("/three"));
            assertThat(c.readResponse().body()).isEqualTo("stub GET /one");
            assertThat(c.readResponse().body()).isEqualTo("stub GET /two");
            assertThat(c.readResponse().body()).isEqualTo("stub GET /three");
        }
    }

    // HEAD: the headers (with the GET's Content-Length) and no body: the next response follows the head directly.
    @Test
    void headHasNoBody() {
        try (Wire c = Wire.connect(rawProxy.port())) {
            c.send("HEAD /h HTTP/1.1\r\nHost: x.test\r\n\r\n" + get("/after-head"));
            Wire.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf("page /h".length()));
            assertThat(head.header("transfer-encoding")).isNull();
            Wire.Head next = c.readHead();
            assertThat(next.status()).isEqualTo(200);
            assertThat(new String(c.readUpTo(Integer.parseInt(next.header("content-length"))),
                    StandardCharsets.ISO_8859_1)).isEqualTo("page /after-head");
        }
    }

    // 204 and 304 from the backend pass through without a body (no chunked framing added): the next response
    // on the connection parses cleanly.
    @Test
    void noContentAndNotModifiedPassWithoutBody() {
        try (Wire c = Wire.connect(rawProxy.port())) {
            c.send(get("/204") + get("/304") + get("/after"));
            Wire.Head noContent = c.readHead();
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("x-kind")).isEqualTo("none");
            assertThat(noContent.header("transfer-encoding")).isNull();
            assertThat(noContent.header("content-length")).isIn(null, "0");
            Wire.Head notModified = c.readHead();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("etag")).isEqualTo("\"v1\"");
            assertThat(notModified.header("transfer-encoding")).isNull();
            Wire.Head after = c.readHead();
            assertThat(after.status()).isEqualTo(200);
            assertThat(new String(c.readUpTo(Integer.parseInt(after.header("content-length"))),
                    StandardCharsets.ISO_8859_1)).isEqualTo("page /after");
        }
    }
}
