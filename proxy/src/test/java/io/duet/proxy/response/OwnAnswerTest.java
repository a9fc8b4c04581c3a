package io.duet.proxy.response;

import io.duet.proxy.request.RequestContext;
import io.duet.testkit.http.RawHttp;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErrorResponses#answer}, the one call for a new answer of Duet's own (an access rule's 403, a rate limit's
 * 429), on a real Undertow listener: the host's page when the request's context carries one for the status, else
 * Duet's default page with the status's id; Retry-After when asked.
 */
class OwnAnswerTest {
    private Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private InetSocketAddress start(HttpHandler handler) {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private static RawHttp.Response get(InetSocketAddress to) {
        try (RawHttp c = RawHttp.connect(to)) {
            return c.send("GET /login HTTP/1.1\r\nHost: a.test\r\n\r\n").readResponse();
        }
    }

    // A host page for 429 replaces the body; Retry-After and no-store are kept.
    @Test
    void theHostsPageWithRetryAfter() {
        ErrorPages pages = new ErrorPages().page(429, "application/json", "{\"slow\":\"down\"}");
        InetSocketAddress at = start(ex -> {
            RequestContext.of(ex).pages(pages); // what the router does once it found the host
            ErrorResponses.answer(ex, 429, "too many requests for 'login'", 7);
        });
        RawHttp.Response r = get(at);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("retry-after")).isEqualTo("7");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        assertThat(r.body()).isEqualTo("{\"slow\":\"down\"}");
    }

    // No page for 403 on the host (it has one for 404 only): Duet's default page with DUET-PROXY-0403.
    @Test
    void theDefaultWithoutAPageForTheStatus() {
        ErrorPages pages = new ErrorPages().page(404, "text/plain", "not here");
        InetSocketAddress at = start(ex -> {
            RequestContext.of(ex).pages(pages);
            ErrorResponses.answer(ex, 403, "denied by the access rule of route 'admin'");
        });
        RawHttp.Response r = get(at);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("retry-after")).isNull();
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.body()).contains("DUET-PROXY-0403").contains("denied by the access rule of route &#39;admin&#39;");
    }
}
