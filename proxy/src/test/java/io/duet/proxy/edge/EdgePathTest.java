package io.duet.proxy.edge;

import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Path canonicalisation on the wire: the next handler only ever sees the canonical path. */
class EdgePathTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    // Dot segments (plain and encoded) and duplicate slashes reach the next handler as the canonical path,
    // consistently in canonicalPath, requestPath, relativePath and requestURI; the query is unchanged.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/pub/%2e%2e/admin|/admin|/admin",
        "//admin|/admin|/admin",
        "/pub/./../admin/|/admin/|/admin/",
        "/a%20b/%7euser|/a b/~user|/a%20b/~user",
    })
    void nextHandlerSeesTheCanonicalPath(String raw, String decoded, String uri) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET " + raw + "?a=%2e%2e&b=//x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r.body(), "path")).isEqualTo(decoded);
            assertThat(EdgeServer.field(r.body(), "requestPath")).isEqualTo(decoded);
            assertThat(EdgeServer.field(r.body(), "relativePath")).isEqualTo(decoded);
            assertThat(EdgeServer.field(r.body(), "uri")).isEqualTo(uri);
            assertThat(EdgeServer.field(r.body(), "query")).isEqualTo("a=%2e%2e&b=//x");
        }
    }

    // Encoded slashes, backslashes, dot segments with parameters and climbs above the root are 400 and closed.
    @ParameterizedTest
    @ValueSource(strings = {"/pub/..%2fadmin", "/pub%2fadmin", "/pub\\admin", "/pub/..;/admin", "/../admin", "/%2e%2e/admin", "/a%zz"})
    void ambiguousPathsAreRefused(String raw) {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null));
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET " + raw + " HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).doesNotContain("path=");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }
}
