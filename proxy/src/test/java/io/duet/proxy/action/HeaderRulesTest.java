package io.duet.proxy.action;

import io.duet.config.HeaderRule;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.duet.testkit.http.Answers;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderRulesTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    // Request rules (set, add, remove, in order) change what a real backend receives through ProxyHandler.
    @Test
    void requestRulesReachTheBackend() throws Exception {
        URI backend = servers.start(Answers.echo());
        URI proxy = servers.start(new RequestHeaderRulesHandler(List.of(
                new HeaderRule("set", "X-Env", "prod"),
                new HeaderRule("add", "X-Tag", "two"),
                new HeaderRule("remove", "X-Secret", null)), servers.proxyTo(backend)));

        HttpResponse<byte[]> response = servers.get(proxy, "/", "X-Env", "dev", "X-Env", "test",
                "X-Tag", "one", "X-Secret", "hunter2");
        String seen = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(seen).contains("h:x-env=prod\n", "h:x-tag=one\n", "h:x-tag=two\n")
                .doesNotContain("h:x-env=dev", "h:x-env=test", "x-secret");
    }

    // Response rules act on the headers a real backend sent, copied by Undertow's ProxyHandler.
    @Test
    void responseRulesActOnProxiedResponses() throws Exception {
        HttpHandler backendHandler = ex -> {
            ex.getResponseHeaders().put(new HttpString("Server-Timing"), "db;dur=53");
            ex.getResponseHeaders().put(new HttpString("X-Powered-By"), "php");
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "private");
            ex.getResponseSender().send("hello from backend");
        };
        URI backend = servers.start(backendHandler);
        URI proxy = servers.start(new ResponseHeaderRulesHandler(List.of(
                new HeaderRule("remove", "X-Powered-By", null),
                new HeaderRule("set", "Cache-Control", "no-cache"),
                new HeaderRule("add", "Server-Timing", "proxy;dur=1"),
                new HeaderRule("set", "Strict-Transport-Security", "max-age=63072000")), servers.proxyTo(backend)));

        HttpResponse<byte[]> response = servers.get(proxy, "/");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello from backend");
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-cache");
        assertThat(response.headers().allValues("Server-Timing")).containsExactly("db;dur=53", "proxy;dur=1");
        assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=63072000");
    }

    // Response rules also apply to responses produced locally, with or without a body (error page, redirect).
    @Test
    void responseRulesActOnLocalResponses() throws Exception {
        List<HeaderRule> rules = List.of(new HeaderRule("set", "X-Frame-Options", "DENY"));
        URI error = servers.start(new ResponseHeaderRulesHandler(rules, ex -> ErrorResponses.send(ex, ErrorId.NO_ROUTE)));
        URI redirect = servers.start(new ResponseHeaderRulesHandler(rules,
                new RedirectHandler(new io.duet.config.Redirect(301, "/elsewhere"))));
        URI noBody = servers.start(new ResponseHeaderRulesHandler(rules, ex -> {
            ex.setStatusCode(204);
            ex.endExchange();
        }));

        assertThat(servers.get(error, "/").headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(servers.get(redirect, "/").headers().firstValue("X-Frame-Options")).hasValue("DENY");
        HttpResponse<byte[]> empty = servers.get(noBody, "/");
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(empty.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    // Rules that are malformed or aim at hop-by-hop/framing headers are refused when compiled.
    @Test
    void rejectsBadRules() {
        HttpHandler next = ex -> { };
        assertThatThrownBy(() -> new RequestHeaderRulesHandler(List.of(new HeaderRule("set", "Connection", "x")), next))
                .hasMessageContaining("requestHeaders[0].name");
        assertThatThrownBy(() -> new ResponseHeaderRulesHandler(List.of(new HeaderRule("append", "X-A", "x")), next))
                .hasMessageContaining("responseHeaders[0].op");
        assertThatThrownBy(() -> new ResponseHeaderRulesHandler(List.of(new HeaderRule("set", "X-A", "a\r\nB: c")), next))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> new RequestHeaderRulesHandler(List.of(new HeaderRule("set", "Bad Name", "x")), next))
                .hasMessageContaining("expected: a header name");
    }
}
