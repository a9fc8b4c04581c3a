package io.duet.proxy.health;

import io.duet.config.Fallback;
import io.duet.config.FixedResponse;
import io.duet.config.HealthCheck;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.duet.proxy.health.HealthDocs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AdminPanicFallbackTest {

    private static ServerHealthStatus status(ProxyFixture proxy, String server) {
        return proxy.dataPlane().health().status("p").server(server);
    }

    private static Pool withState(Pool p, String server, String state, String until) {
        List<Server> servers = new ArrayList<>();
        for (Server s : p.servers()) {
            servers.add(s.id().equals(server) ? s.withState(state, until) : s);
        }
        return new Pool(p.name(), p.balancer(), servers, p.connectTimeoutMs(), p.maxConnectionsPerServer(),
                p.affinity(), p.healthCheck(), p.outlierDetection(), p.slowStartMs(), p.panicThresholdPercent(), p.fallback(), p.hashKey(),
                p.serverLimit());
    }

    // Drain: no new requests, sticky clients until the deadline, in-flight requests reported until they end;
    // maintenance takes the server out at once; enabled brings it back. No config reload is needed for health,
    // and the admin state comes from the document.
    @Test
    void drainAndMaintenance() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p, a, b))) {
            // One slow request in flight on a.
            a.mode(StubBackend.Mode.SLOW).slowMs(1500);
            CompletableFuture<HttpResponse<String>> inFlight = new CompletableFuture<>();
            for (int i = 0; i < 2 && !inFlight.isDone(); i++) {
                var f = HealthDocs.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + proxy.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
                f.thenAccept(r -> { });
                if (i == 0) {
                    f.whenComplete((r, e) -> inFlight.complete(r));
                }
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> status(proxy, "a").activeRequests() == 1);
            String until = Instant.now().plusMillis(700).toString();
            proxy.dataPlane().apply(doc(2, 1, p -> withState(p, "a", Server.DRAIN, until), List.of(), a, b));
            ServerHealthStatus d = status(proxy, "a");
            assertThat(d.state()).isEqualTo(HealthState.DRAINING);
            assertThat(d.available()).isFalse();
            assertThat(d.acceptsSticky()).isTrue();
            assertThat(d.activeRequests()).isEqualTo(1);
            assertThat(d.drained()).isFalse();
            a.mode(StubBackend.Mode.OK);
            for (int i = 0; i < 4; i++) {
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isEqualTo("b");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> !status(proxy, "a").acceptsSticky());
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").drained());
            assertThat(inFlight.get().statusCode()).isEqualTo(200);

            proxy.dataPlane().apply(doc(3, 1, p -> withState(p, "a", Server.MAINTENANCE, null), List.of(), a, b));
            assertThat(status(proxy, "a").state()).isEqualTo(HealthState.MAINTENANCE);
            assertThat(status(proxy, "a").acceptsSticky()).isFalse();
            proxy.dataPlane().apply(doc(4, 1, p -> p, List.of(), a, b));
            assertThat(status(proxy, "a").state()).isEqualTo(HealthState.UP);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                seen.add(HealthDocs.get(proxy.port(), "/x").backend());
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
        }
    }

    // Slow start: a server that comes back ramps its weight factor from 10% to 100% over the window.
    @Test
    void slowStartRamp() throws Exception {
        HealthCheck check = HealthCheck.http("/health").withTiming(100, 80, 1, 1);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(check, null, 1500L, null, null), a, b))) {
            assertThat(status(proxy, "a").weightFactor()).isEqualTo(1.0); // no ramp for the first document
            a.healthMode(StubBackend.Mode.ERROR);
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            a.healthMode(null);
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.UP);
            double first = status(proxy, "a").weightFactor();
            assertThat(first).isLessThan(0.5);
            await().atMost(Duration.ofSeconds(3)).until(() -> {
                double w = status(proxy, "a").weightFactor();
                return w > first && w < 1.0;
            });
            await().atMost(Duration.ofSeconds(4)).until(() -> status(proxy, "a").weightFactor() == 1.0);
        }
    }

    // Panic: below the threshold the pool balances over every server, the down ones included.
    @Test
    void panicBalancesOverAll() throws Exception {
        HealthCheck check = HealthCheck.http("/health").withTiming(100, 80, 1, 1);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             StubBackend c = StubBackend.start("c").body("ok c");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(check, null, null, 50, null), a, b, c))) {
            a.healthMode(StubBackend.Mode.ERROR);
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            assertThat(proxy.dataPlane().health().status("p").panic()).isFalse(); // 2 of 3 >= 50%
            for (int i = 0; i < 6; i++) {
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isIn("b", "c");
            }
            b.healthMode(StubBackend.Mode.ERROR);
            await().atMost(Duration.ofSeconds(3)).until(() -> proxy.dataPlane().health().status("p").panic());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(HealthDocs.get(proxy.port(), "/x").backend());
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(proxy.dataPlane().metrics().getGauges().get("duet_pool_panic{pool=\"p\"}").getValue())
                    .isEqualTo(1);
            a.healthMode(null);
            await().atMost(Duration.ofSeconds(3)).until(() -> !proxy.dataPlane().health().status("p").panic());
        }
    }

    // No server up: the fallback pool serves; with a fixed fallback, the maintenance page; without one, 503.
    @Test
    void fallbacks() throws Exception {
        HealthCheck check = HealthCheck.tcp().withTiming(100, 80, 1, 1);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend sorry = StubBackend.start("sorry").body("ok sorry")) {
            Pool sorryPool = new Pool("sorry", null, HealthDocs.servers(sorry));
            try (ProxyFixture proxy = ProxyFixture.start(doc(1, 1, p -> p.withHealth(check, null, null, null,
                    new Fallback("sorry", null)), List.of(sorryPool), a))) {
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isEqualTo("a");
                a.stop();
                await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isEqualTo("sorry");

                proxy.dataPlane().apply(doc(2, 1, p -> p.withHealth(check, null, null, null,
                        new Fallback(null, new FixedResponse(503, "down for maintenance", null))), List.of(), a));
                HealthDocs.Answer page = HealthDocs.get(proxy.port(), "/x");
                assertThat(page.status()).isEqualTo(503);
                assertThat(page.body()).isEqualTo("down for maintenance");

                proxy.dataPlane().apply(doc(3, 1, p -> p.withHealth(check, null, null, null, null), List.of(), a));
                HealthDocs.Answer none = HealthDocs.get(proxy.port(), "/x");
                assertThat(none.status()).isEqualTo(503);
                assertThat(none.body()).contains("DUET-PROXY-0503");
                a.start();
                await().atMost(Duration.ofSeconds(3)).until(() -> HealthDocs.get(proxy.port(), "/x").status() == 200);
            }
        }
    }

    // A reload that does not change a server keeps its health: state, reason, since and check history survive.
    @Test
    void healthSurvivesReload() throws Exception {
        HealthCheck check = HealthCheck.tcp().withTiming(100, 80, 1, 1);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(check, null, null, null, null), a, b))) {
            a.stop();
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            ServerHealthStatus before = status(proxy, "a");
            // Another weight for b and another balancer: a new snapshot, a unchanged.
            proxy.dataPlane().apply(doc(2, 1, p -> new Pool("p", Pool.WEIGHTED_ROUND_ROBIN, List.of(
                    p.servers().get(0), new Server("b", "127.0.0.1", b.port(), 3, null)), null, null,
                    null, check, null, null, null, null, null, null), List.of(), a, b));
            ServerHealthStatus after = status(proxy, "a");
            assertThat(after.state()).isEqualTo(HealthState.DOWN);
            assertThat(after.since()).isEqualTo(before.since());
            assertThat(after.reason()).isEqualTo(before.reason());
            assertThat(after.lastProbes()).startsWith(before.lastProbes().toArray(new ProbeResult[0]));
            assertThat(proxy.dataPlane().metrics().getCounters().get(
                    "duet_server_health_transitions_total{pool=\"p\",server=\"a\"}").getCount()).isEqualTo(1);
        }
    }
}
