package io.duet.proxy.edge;

import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Host at the edge: exactly one, well-formed, matching an absolute-form target. */
class EdgeHostTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    private int statusFor(String request, boolean expectClose) {
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send(request);
            RawHttp.Response r = c.readResponse();
            if (expectClose) {
                c.assertClosedWithin(Duration.ofSeconds(3));
            }
            return r.status();
        }
    }

    // Missing Host on HTTP/1.1 is 400 and closed.
    @Test
    void missingHostIs400() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        assertThat(statusFor("GET / HTTP/1.1\r\n\r\n", true)).isEqualTo(400);
    }

    // HTTP/1.0 without Host is allowed.
    @Test
    void http10WithoutHostPasses() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        assertThat(statusFor("GET / HTTP/1.0\r\n\r\n", false)).isEqualTo(200);
    }

    // Two Host fields (same or different) are 400 and closed.
    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    void duplicateHostIs400(String second) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        assertThat(statusFor("GET / HTTP/1.1\r\nHost: a\r\nHost: " + second + "\r\n\r\n", true)).isEqualTo(400);
    }

    // Malformed Host values are 400 and closed.
    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "user@a", "a:", "a:99999", "a:8x", "a:-1", "[::1", "[zz]", "a,b", "a;b", ":80"})
    void malformedHostIs400(String host) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        assertThat(statusFor("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", true)).isEqualTo(400);
    }

    // Well-formed names, IPv4, IPv6 literals and ports pass, and the handler sees the Host unchanged.
    @ParameterizedTest
    @ValueSource(strings = {"example.com", "EXAMPLE.com:8080", "127.0.0.1:1", "[::1]", "[::1]:443", "a_b-c.d"})
    void wellFormedHostPasses(String host) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.lines(r.body())).contains("h:host=" + host);
        }
    }

    // An absolute-form target whose authority differs from Host is 400; a matching one passes with its path.
    @Test
    void absoluteFormMustMatchHost() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        assertThat(statusFor("GET http://evil.example/admin HTTP/1.1\r\nHost: good.example\r\n\r\n", true)).isEqualTo(400);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET http://good.example/a/../b?x=1 HTTP/1.1\r\nHost: good.example\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r.body(), "path")).isEqualTo("/b");
            assertThat(EdgeServer.field(r.body(), "uri")).isEqualTo("/b");
            assertThat(EdgeServer.field(r.body(), "query")).isEqualTo("x=1");
        }
    }
}
