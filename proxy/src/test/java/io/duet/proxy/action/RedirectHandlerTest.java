package io.duet.proxy.action;

import io.duet.config.Redirect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedirectHandlerTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    // Each placeholder expands from the request; an empty query leaves no stray '?'.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://{host}{request_uri}|/a/b%20c?x=1&y=2|https://example.test/a/b%20c?x=1&y=2",
            "https://{host}{request_uri}|/a|https://example.test/a",
            "{scheme}://{host}/new{path}?{query}|/p?q=1|http://example.test/new/p?q=1",
            "{scheme}://{host}/new{path}?{query}|/p|http://example.test/new/p",
            "/login?next={path}|/secret|/login?next=/secret",
            "https://other.test/fixed|/anything?z|https://other.test/fixed"})
    void expandsTemplate(String template, String request, String expected) throws Exception {
        URI base = servers.start(new RedirectHandler(new Redirect(301, template)));
        HttpResponse<byte[]> response = servers.get(base, request);
        // java.net.http sends Host: 127.0.0.1:port; the port is dropped by {host}.
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .isEqualTo(expected.replace("example.test", "127.0.0.1"));
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(0);
    }

    // The default status is 302, and every redirect status passes through unchanged.
    @Test
    void statuses() throws Exception {
        for (Integer status : new Integer[]{null, 301, 302, 303, 307, 308}) {
            URI base = servers.start(new RedirectHandler(new Redirect(status, "/x")));
            assertThat(servers.get(base, "/").statusCode()).isEqualTo(status == null ? 302 : status);
        }
    }

    // {host} keeps IPv6 brackets and drops only the port (raw request with an explicit Host).
    @Test
    void hostWithoutPort() throws Exception {
        URI base = servers.start(new RedirectHandler(new Redirect(308, "https://{host}{request_uri}")));
        assertThat(TestServers.raw(base, "GET /x?y HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"))
                .contains("Location: https://[::1]/x?y");
        assertThat(TestServers.raw(base, "GET /x HTTP/1.1\r\nHost: shop.example:8080\r\nConnection: close\r\n\r\n"))
                .contains("Location: https://shop.example/x");
    }

    // A malformed template or a non-redirect status is refused when the configuration is compiled.
    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> new RedirectHandler(new Redirect(200, "/x"))).hasMessageContaining("redirect.status");
        assertThatThrownBy(() -> new RedirectHandler(new Redirect(302, "/{nope}"))).hasMessageContaining("{nope}");
        assertThatThrownBy(() -> new RedirectHandler(new Redirect(302, "/{path"))).hasMessageContaining("not closed");
    }
}
