package io.duet.proxy.scenario.pages;

import io.duet.config.Maintenance;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.duet.proxy.scenario.pages.PageDocuments.BRANDED;
import static io.duet.proxy.scenario.pages.PageDocuments.PLAIN;
import static io.duet.proxy.scenario.pages.PageDocuments.TYPE;
import static io.duet.proxy.scenario.pages.PageDocuments.address;
import static io.duet.proxy.scenario.pages.PageDocuments.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance switches through the whole data plane: a host's switch answers every request of the host with 503,
 * {@code Retry-After} and its page (the host's 503 page by default), a route's switch only that route's requests;
 * neither reaches the backend, and turning a switch on and off is an ordinary reload that never fails.
 */
class MaintenanceScenarioTest {
    private final Closer closer = new Closer();
    private StubBackend ok;
    private PageDocuments.Backends backends;
    private ProxyFixture proxy;
    private long revision = 1;

    @BeforeEach
    void start() throws Exception {
        ok = closer.track(StubBackend.start("ok"));
        RawBackend dying = closer.track(RawBackend.start("dying", RawBackend.closeWithoutAnswer()));
        RawBackend silent = closer.track(RawBackend.start("silent", (req, ex) -> { }));
        StubBackend drained = closer.track(StubBackend.start("drained"));
        backends = new PageDocuments.Backends(ok.port(), dying.port(), silent.port(), drained.port());
        proxy = closer.track(ProxyFixture.start(PageDocuments.config(revision, backends, null, null)));
    }

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    private void apply(Maintenance hostSwitch, Maintenance routeSwitch) {
        proxy.dataPlane().apply(PageDocuments.config(++revision, backends, hostSwitch, routeSwitch));
    }

    private RawHttp.Response exchange(String request) {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            return c.send(request).readResponse();
        }
    }

    // The host's switch with no page of its own: every path of the host is 503 with the host's 503 page and
    // Retry-After; the other host is served; off again, the host is served again.
    @Test
    void hostSwitchAnswersEveryRequestOfTheHost() {
        apply(new Maintenance(true), null);
        int before = ok.requests();
        for (String path : new String[] {"/app/x", "/nowhere", "/dying"}) {
            RawHttp.Response r = exchange(get(BRANDED, path));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("retry-after")).isEqualTo("300");
            assertThat(r.body()).isEqualTo("branded 503");
            assertThat(r.header("content-type")).isEqualTo(TYPE);
        }
        assertThat(ok.requests()).as("requests the backend saw").isEqualTo(before);
        assertThat(exchange(get(PLAIN, "/app/x")).body()).isEqualTo("ok GET /app/x");

        apply(null, null);
        RawHttp.Response back = exchange(get(BRANDED, "/app/x"));
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body()).isEqualTo("ok GET /app/x");
    }

    // A route's switch with its own page and Retry-After: only that route (its response header rules still apply);
    // the host's other routes are served.
    @Test
    void routeSwitchAnswersOnlyItsRoute() {
        apply(null, new Maintenance(true, 120, "text/plain; charset=utf-8", "back at noon"));
        RawHttp.Response r = exchange(get(BRANDED, "/app/x"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("retry-after")).isEqualTo("120");
        assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        assertThat(r.body()).isEqualTo("back at noon");
        assertThat(r.header("x-site")).as("the route's response header rules apply").isEqualTo("app");
        assertThat(exchange(get(BRANDED, "/nowhere")).body()).isEqualTo("branded 404");
        assertThat(exchange(get(PLAIN, "/app/x")).body()).isEqualTo("ok GET /app/x");

        apply(null, new Maintenance(false, 120, null, "back at noon")); // off, page kept in the document
        assertThat(exchange(get(BRANDED, "/app/x")).body()).isEqualTo("ok GET /app/x");
    }

    // A switch on a host without error pages and without a page of its own: Duet's default 503 with its id.
    @Test
    void switchWithoutAnyPageIsDuetsDefault503() throws Exception {
        var doc = PageDocuments.config(++revision, backends, null, null);
        var plain = doc.virtualHosts().get(1);
        var switched = new io.duet.config.VirtualHost(plain.name(), plain.hostnames(), plain.defaultHost(),
                plain.routes(), plain.httpsRedirect(), plain.errorPages(), new Maintenance(true, 5, null, null));
        proxy.dataPlane().apply(new io.duet.config.DuetConfig(doc.revision(), doc.listeners(), doc.limits(),
                doc.forwarding(), doc.accessLog(), java.util.List.of(doc.virtualHosts().get(0), switched),
                doc.pools(), doc.certificates(), doc.vips(), doc.admin(), doc.failover()));
        RawHttp.Response r = exchange(get(PLAIN, "/app/x"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("retry-after")).isEqualTo("5");
        assertThat(r.body()).contains("DUET-PROXY-0503").contains("maintenance");
    }

    // Switching back and forth while a client keeps its connection: every answer is either served or the
    // maintenance page, and no reload fails.
    @Test
    void switchingOnAndOffIsAPlainReload() {
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            for (int i = 0; i < 6; i++) {
                boolean on = i % 2 == 0;
                apply(on ? new Maintenance(true) : null, null);
                RawHttp.Response r = c.send(get(BRANDED, "/app/" + i)).readResponse();
                assertThat(r.status()).isEqualTo(on ? 503 : 200);
                assertThat(r.body()).isEqualTo(on ? "branded 503" : "ok GET /app/" + i);
            }
        }
        assertThat(proxy.dataPlane().revision()).isEqualTo(revision);
    }
}
