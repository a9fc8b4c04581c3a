package io.duet.proxy.scenario;

import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Request smuggling attempts through the whole data plane: refused at the edge, and the backend sees nothing. */
class SmugglingScenarioTest {
    private static RawBackend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = RawBackend.start("b", (req, ex) -> ex.write("HTTP/1.1 200 OK\r\nContent-Length: "
                + (2 + req.body().length) + "\r\n\r\nok" + req.bodyText()));
        proxy = ProxyFixture.start(Scenarios.simple(pool("p", server("b", backend.port()))));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
    }

    private int connectionsBefore;
    private int requestsBefore;

    @BeforeEach
    void mark() {
        connectionsBefore = backend.connections();
        requestsBefore = backend.requests().size();
    }

    /** A smuggled second request hides in every body below; the backend must never see either. */
    private static final String SMUGGLED = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x.test\r\n\r\n";

    // Ambiguous or invalid framing gets 400 and a closed connection, and not one byte reaches the backend.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Content-Length: 4|Transfer-Encoding: chunked",
            "Transfer-Encoding: chunked|Content-Length: 4",
            "Transfer-Encoding: xchunked",
            "Transfer-Encoding: chunked, chunked",
            "Transfer-Encoding: gzip",
            "Transfer-Encoding: gzip, chunked",
            "Transfer-Encoding: chunked|Transfer-Encoding: identity",
            "Transfer-Encoding : chunked",
            "Content-Length: 5|Content-Length: 6",
            "Content-Length: 5, 6",
            "Content-Length: +5",
            "Content-Length: ",
            "Content-Length: 0x5",
    })
    void badFramingRefusedBeforeTheBackend(String framing) {
        String head = "POST /upload HTTP/1.1\r\nHost: x.test\r\n" + framing.replace("|", "\r\n") + "\r\n\r\n";
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(head + SMUGGLED).readResponse();
            assertThat(r.status()).isIn(400, 501);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(backend.connections() - connectionsBefore).as("connections to the backend").isZero();
        assertThat(backend.requests().size() - requestsBefore).as("requests the backend saw").isZero();
    }

    // Malformed chunked framing (sizes that are not hex, data not followed by CRLF, sizes that overflow, chunk lines
    // split by a bare LF inside the size) is refused at the edge with 400 DUET-EDGE-0401 and a closed connection,
    // whatever Undertow's own decoder would have tolerated; the backend never receives a complete request.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "zz\r\nhello\r\n0\r\n\r\n",
            "5\r\nhelloXX0\r\n\r\n",
            "5\r\nhello0\r\n\r\n",
            "fffffffffffffffff\r\nx\r\n0\r\n\r\n",
            "-5\r\nhello\r\n0\r\n\r\n",
            "5 x\r\nhello\r\n0\r\n\r\n",
    })
    void malformedChunkedBodyRefused(String body) {
        String head = "POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n";
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(head + body + "GET /smuggled HTTP/1.1\r\nHost: x.test\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("DUET-EDGE-0401");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(backend.requests().size() - requestsBefore).as("complete requests the backend saw").isZero();
    }

    // A well-formed chunked body (extensions, trailers, split anywhere) passes the edge's strict check, and the
    // request pipelined behind it is answered on the same connection.
    @Test
    void wellFormedChunkedBodyAndPipelinedRequestPass() {
        String head = "POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: Chunked \r\n\r\n";
        String body = "3;ext=\"v\"\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n";
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            c.sendSlowly(head + body.substring(0, 9), 4, Duration.ofMillis(5));
            c.send(body.substring(9) + "GET /next HTTP/1.1\r\nHost: x.test\r\n\r\n");
            RawHttp.Response first = c.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("okabcde");
            RawHttp.Response second = c.readResponse();
            assertThat(second.status()).isEqualTo(200);
        }
    }

    // Transfer-Encoding in an HTTP/1.0 request is refused the same way.
    @Test
    void chunkedInHttp10Refused() {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.0\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + SMUGGLED).readResponse();
            assertThat(r.status()).isEqualTo(400);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(backend.connections() - connectionsBefore).isZero();
    }

    // A valid chunked POST is forwarded: the backend receives exactly the body, framed one way only, and the
    // client connection stays in sync for the next request.
    @Test
    void validChunkedPostForwardedExactly() {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6;note=x\r\n world\r\n0\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("okhello world");
            RawHttp.Response next = c.send(get("/after")).readResponse();
            assertThat(next.status()).isEqualTo(200);
        }
        assertThat(backend.requests().size() - requestsBefore).isEqualTo(2);
        RawBackend.Request seen = backend.requests().get(requestsBefore);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.bodyText()).isEqualTo("hello world");
        assertThat(seen.count("Content-Length") + seen.count("Transfer-Encoding"))
                .as("exactly one framing header").isEqualTo(1);
        assertThat(backend.requests().get(requestsBefore + 1).target()).isEqualTo("/after");
    }

    // A client that goes away in the middle of its chunked body: the backend sees the body end early, never a
    // complete request (the proxy must not finish the chunked framing on the client's behalf).
    @Test
    void clientGoneMidChunkedBodyNeverCompletesAtTheBackend() {
        int incompleteBefore = backend.incompleteBodies();
        int headsBefore = backend.heads();
        try (Wire c = Wire.connect(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n10\r\nonly-half");
            // Wait until the backend is reading the body, then vanish.
            await().atMost(Duration.ofSeconds(3)).until(() -> backend.heads() > headsBefore);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> backend.incompleteBodies() > incompleteBefore);
        assertThat(backend.requests().size() - requestsBefore).as("complete requests at the backend").isZero();
    }

    // The same for a Content-Length body: the backend never receives a complete request.
    @Test
    void clientGoneMidFixedLengthBodyNeverCompletesAtTheBackend() {
        int incompleteBefore = backend.incompleteBodies();
        int headsBefore = backend.heads();
        try (Wire c = Wire.connect(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x.test\r\nContent-Length: 100\r\n\r\n" + "q".repeat(40));
            await().atMost(Duration.ofSeconds(3)).until(() -> backend.heads() > headsBefore);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> backend.incompleteBodies() > incompleteBefore);
        assertThat(backend.requests().size() - requestsBefore).as("complete requests at the backend").isZero();
    }
}
