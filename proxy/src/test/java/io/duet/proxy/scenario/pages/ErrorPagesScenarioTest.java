package io.duet.proxy.scenario.pages;

import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.duet.proxy.scenario.pages.PageDocuments.BRANDED;
import static io.duet.proxy.scenario.pages.PageDocuments.PLAIN;
import static io.duet.proxy.scenario.pages.PageDocuments.TYPE;
import static io.duet.proxy.scenario.pages.PageDocuments.address;
import static io.duet.proxy.scenario.pages.PageDocuments.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Duet's own answers through the whole data plane, real backends and a raw client: on a host with error pages each
 * answer has the host's body and content type (status, Cache-Control and the connection handling unchanged), and
 * the same answer on a host without pages is Duet's default with its stable id.
 */
class ErrorPagesScenarioTest {
    private final Closer closer = new Closer();
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        StubBackend ok = closer.track(StubBackend.start("ok"));
        RawBackend dying = closer.track(RawBackend.start("dying", RawBackend.closeWithoutAnswer()));
        RawBackend silent = closer.track(RawBackend.start("silent", (req, ex) -> { }));
        StubBackend drained = closer.track(StubBackend.start("drained"));
        proxy = closer.track(ProxyFixture.start(PageDocuments.config(1,
                new PageDocuments.Backends(ok.port(), dying.port(), silent.port(), drained.port()), null, null)));
    }

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    private RawHttp.Response exchange(String request) {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            return c.send(request).readResponse();
        }
    }

    private static void assertBranded(RawHttp.Response r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.body()).isEqualTo("branded " + status);
        assertThat(r.header("content-type")).isEqualTo(TYPE);
        assertThat(r.header("cache-control")).isEqualTo("no-store");
    }

    private static void assertDefault(RawHttp.Response r, int status, String id) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.body()).contains(id).doesNotContain("branded");
    }

    // 404: a host that has no route for the path answers with its page; a host without pages with Duet's page.
    @Test
    void noRouteOnTheHostIsItsPage() {
        assertBranded(exchange(get(BRANDED, "/nowhere")), 404);
        assertDefault(exchange(get(PLAIN, "/nowhere")), 404, "DUET-PROXY-0404");
        assertThat(exchange(get(BRANDED, "/app/x")).body()).isEqualTo("ok GET /app/x"); // routes still served
    }

    // 502: the backend took the request and closed without an answer.
    @Test
    void badGatewayIsTheHostsPage() {
        assertBranded(exchange(get(BRANDED, "/dying")), 502);
        assertDefault(exchange(get(PLAIN, "/dying")), 502, "DUET-PROXY-0502");
    }

    // 503: the pool's only server is in maintenance (no server available).
    @Test
    void noServerIsTheHostsPage() {
        assertBranded(exchange(get(BRANDED, "/drained")), 503);
        assertDefault(exchange(get(PLAIN, "/drained")), 503, "DUET-PROXY-0503");
    }

    // 504: the backend does not answer within the route's response timeout.
    @Test
    void gatewayTimeoutIsTheHostsPage() {
        assertBranded(exchange(get(BRANDED, "/silent")), 504);
        assertDefault(exchange(get(PLAIN, "/silent")), 504, "DUET-PROXY-0504");
    }

    // 413: a declared body over the route's limit is refused by the edge's body guard, which closes the connection.
    @Test
    void bodyOverTheRouteLimitIsTheHostsPage() {
        for (String host : new String[] {BRANDED, PLAIN}) {
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                RawHttp.Response r = c.send("POST /small HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Length: 100\r\n\r\n").readResponse();
                if (host.equals(BRANDED)) {
                    assertBranded(r, 413);
                } else {
                    assertDefault(r, 413, "DUET-EDGE-");
                }
                assertThat(r.header("connection")).isEqualTo("close");
            }
        }
    }

    // 408: a body that stops arriving (bodyTimeoutMs 400) after the request was routed.
    @Test
    void stalledBodyIsTheHostsPage() {
        for (String host : new String[] {BRANDED, PLAIN}) {
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                RawHttp.Response r = c.send("POST /app HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Length: 100\r\n\r\nhello").readResponse();
                if (host.equals(BRANDED)) {
                    assertBranded(r, 408);
                } else {
                    assertDefault(r, 408, "DUET-EDGE-");
                }
            }
        }
    }

    // 400 before the host is known (a request the edge refuses before routing) keeps Duet's default on every host.
    @Test
    void refusalBeforeRoutingKeepsTheDefault() {
        RawHttp.Response r = exchange("GET /../app HTTP/1.1\r\nHost: " + BRANDED + "\r\n\r\n");
        assertDefault(r, 400, "DUET-EDGE-");
    }

    // HEAD: the page's status and Content-Length, and no body.
    @Test
    void headGetsNoBody() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(proxy.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("HEAD /nowhere HTTP/1.1\r\nHost: " + BRANDED + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // the proxy closes after it
            assertThat(all).startsWith("HTTP/1.1 404 ").contains("Content-Length: " + "branded 404".length())
                    .endsWith("\r\n\r\n").doesNotContain("branded 404");
        }
    }
}
