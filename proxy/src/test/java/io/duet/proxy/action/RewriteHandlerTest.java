package io.duet.proxy.action;

import io.duet.config.Rewrite;
import io.duet.testkit.http.Answers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RewriteHandlerTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    /** What the backend saw, through a real ProxyHandler, for a raw request line. */
    private String backendSaw(Rewrite rewrite, String requestTarget) throws Exception {
        URI backend = servers.start(Answers.echo());
        URI proxy = servers.start(new RewriteHandler(rewrite, servers.proxyTo(backend)));
        String response = TestServers.raw(proxy, "GET " + requestTarget + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200");
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    // The prefix is replaced on the forwarded request line; the query string is kept; no rewrite when it does not apply.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api|''|/api/users?x=1|/users|x=1",
            "/api|''|/api|/|''",
            "/api|''|/api/|/|''",
            "/api|''|/apix/users|/apix/users|''",
            "/api|''|/other?q|/other|q",
            "/api/|''|/api/users|/users|''",
            "/api|/v2|/api/users?a=b&c|/v2/users|a=b&c",
            "/api|/v2/|/api/users|/v2/users|''",
            "/api/|/v2|/api/users|/v2/users|''",
            "/|/app|/x/y|/app/x/y|''",
            "/old|/new|/old|/new|''"})
    void rewritesThePrefix(String prefix, String replacement, String target, String expectedUri, String expectedQuery)
            throws Exception {
        String seen = backendSaw(new Rewrite(prefix, replacement), target);
        assertThat(seen).contains("uri=" + expectedUri + "\n", "query=" + expectedQuery + "\n");
    }

    // Percent-encoding after the prefix is forwarded byte for byte (space, %2F, UTF-8), and the backend decodes it.
    @Test
    void keepsEncodingOfTheRest() throws Exception {
        String seen = backendSaw(new Rewrite("/api", ""), "/api/a%20b/%E2%82%AC/c%2Fd?q=%20x");
        assertThat(seen).contains("uri=/a%20b/%E2%82%AC/c%2Fd\n", "query=q=%20x\n", "path=/a b/€/c%2Fd\n");
    }

    // The prefix matches an encoded spelling of itself, but an encoded slash is not a path separator.
    @Test
    void matchesEncodedPrefixButNotEncodedSlash() throws Exception {
        assertThat(backendSaw(new Rewrite("/api", "/v1"), "/%61pi/x")).contains("uri=/v1/x\n");
        assertThat(backendSaw(new Rewrite("/a/b", "/z"), "/a%2Fb/x")).contains("uri=/a%2Fb/x\n");
    }

    // A replacement with a space or non-ASCII characters is percent-encoded once; the backend decodes it back.
    @Test
    void encodesTheReplacement() throws Exception {
        String seen = backendSaw(new Rewrite("/api", "/new dir/ü"), "/api/x");
        assertThat(seen).contains("uri=/new%20dir/%C3%BC/x\n", "path=/new dir/ü/x\n");
    }

    // An absolute-form request target is forwarded as origin-form with the new path.
    @Test
    void absoluteForm() throws Exception {
        assertThat(backendSaw(new Rewrite("/api", ""), "http://a/api/users?x=1")).contains("uri=/users\n", "query=x=1\n");
    }

    // A prefix that is not a path is refused when compiled.
    @Test
    void rejectsBadPrefix() {
        assertThatThrownBy(() -> new RewriteHandler(new Rewrite("api", ""), ex -> { }))
                .hasMessageContaining("rewrite.prefix");
    }
}
