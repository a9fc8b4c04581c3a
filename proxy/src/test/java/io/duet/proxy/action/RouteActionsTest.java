package io.duet.proxy.action;

import io.duet.config.Compression;
import io.duet.config.FixedResponse;
import io.duet.config.HeaderRule;
import io.duet.config.Redirect;
import io.duet.config.Rewrite;
import io.duet.config.Route;
import io.duet.testkit.http.Answers;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RouteActionsTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    private static Route route(String pool, Redirect redirect, FixedResponse respond, Rewrite rewrite, Long maxBody) {
        return new Route("r", null, pool, redirect, respond,
                List.of(new HeaderRule("set", "X-Route", "r")),
                List.of(new HeaderRule("set", "Vary", "Accept-Encoding, Cookie"), new HeaderRule("set", "X-Served-By", "duet")),
                rewrite, new Compression(true, null, 16, null), maxBody, null, null);
    }

    // The whole chain through a real ProxyHandler: request rules and rewrite reach the backend; compression then
    // response rules act on the backend's response (the rules have the last word, here on Vary).
    @Test
    void forwardingChain() throws Exception {
        URI backend = servers.start(Answers.echo());
        HttpHandler chain = RouteActions.compile(route("web", null, null, new Rewrite("/api", "/v2"), 1000L),
                servers.proxyTo(backend));
        URI proxy = servers.start(chain);

        HttpResponse<byte[]> response = servers.get(proxy, "/api/items?id=7", "Accept-Encoding", "gzip");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding, Cookie");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue("duet");
        String seen;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            seen = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(seen).contains("uri=/v2/items\n", "query=id=7\n", "h:x-route=r\n");

        String tooBig = TestServers.raw(proxy, "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
        assertThat(tooBig).startsWith("HTTP/1.1 413").contains("DUET-PROXY-0413", "X-Served-By: duet");
    }

    // A redirect route answers itself (no rewrite: {path} is the client's path); response rules still apply.
    @Test
    void redirectRoute() throws Exception {
        URI proxy = servers.start(RouteActions.compile(
                route(null, new Redirect(308, "https://{host}{request_uri}"), null, new Rewrite("/a", "/b"), null), null));
        HttpResponse<byte[]> response = servers.get(proxy, "/a/c?d=1");
        assertThat(response.statusCode()).isEqualTo(308);
        assertThat(response.headers().firstValue("Location")).hasValue("https://127.0.0.1/a/c?d=1");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue("duet");
    }

    // A fixed-response route answers itself, compressed when large and accepted.
    @Test
    void respondRoute() throws Exception {
        String body = "maintenance window ".repeat(20);
        URI proxy = servers.start(RouteActions.compile(
                route(null, null, new FixedResponse(503, body, null), null, null), null));
        HttpResponse<byte[]> response = servers.get(proxy, "/", "Accept-Encoding", "gzip");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
    }
}
