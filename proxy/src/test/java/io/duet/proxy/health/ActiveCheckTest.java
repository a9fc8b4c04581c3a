package io.duet.proxy.health;

import io.duet.config.HealthCheck;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.duet.proxy.health.HealthDocs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ActiveCheckTest {

    private static HealthCheck fast(HealthCheck c) {
        return c.withTiming(100, 80, 2, 3);
    }

    private static ServerHealthStatus status(ProxyFixture proxy, String server) {
        return proxy.dataPlane().health().status("p").server(server);
    }

    // Rise/fall: an up server goes down after exactly `fall` failed checks in a row and comes back after `rise` passes.
    @Test
    void riseAndFall() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(fast(HealthCheck.http("/health")),
                     null, null, null, null), a, b))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").lastProbes().size() >= 3);
            a.mode(StubBackend.Mode.ERROR);
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            ServerHealthStatus down = status(proxy, "a");
            List<ProbeResult> probes = down.lastProbes();
            // Exactly `fall` failures took it down: the reason, written at the transition, counts them; the probes
            // end with at least those failures after a pass (another probe may fail between the transition and this
            // read: the checks run every 100 ms and the await polls as often, so the list may hold a fourth).
            assertThat(down.reason()).contains("3 check(s) failed").contains("HTTP 500 not in [200-399]");
            int failing = 0;
            while (failing < probes.size() && !probes.get(probes.size() - 1 - failing).ok()) {
                failing++;
            }
            assertThat(failing).as("failed checks at the end of %s", probes).isGreaterThanOrEqualTo(3);
            assertThat(failing).as("a pass before the failures in %s", probes).isLessThan(probes.size());
            assertThat(down.available()).isFalse();
            // Traffic goes to b only while a is down.
            for (int i = 0; i < 6; i++) {
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isEqualTo("b");
            }
            a.mode(StubBackend.Mode.OK);
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.UP);
            ServerHealthStatus upNow = status(proxy, "a");
            // Exactly `rise` passes brought it back (more passes may have run since; the reason names the count).
            assertThat(upNow.reason()).startsWith("2 check(s) passed");
            List<ProbeResult> up = upNow.lastProbes();
            int lastFailure = up.size() - 1;
            while (up.get(lastFailure).ok()) {
                lastFailure--;
            }
            assertThat(up.size() - 1 - lastFailure).isGreaterThanOrEqualTo(2);
            assertThat(proxy.dataPlane().metrics().getCounters().get(
                    "duet_server_health_transitions_total{pool=\"p\",server=\"a\"}").getCount()).isEqualTo(2);
            assertThat(proxy.dataPlane().metrics().getCounters().get(
                    "duet_server_health_check_failures_total{pool=\"p\",server=\"a\"}").getCount()).isGreaterThanOrEqualTo(3);
        }
    }

    // A new server starts up but on its last fall step (as HAProxy): its first failed check marks it down.
    @Test
    void startsUpAndOneFailureTakesItDown() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b")) {
            a.stop();
            HealthCheck slow = HealthCheck.tcp().withTiming(60_000, 500, 2, 3);
            try (ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(slow, null, null, null, null), a, b))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
                assertThat(status(proxy, "a").lastProbes()).hasSize(1);
                assertThat(status(proxy, "a").lastProbes().get(0).detail()).isEqualTo("connection refused");
                assertThat(status(proxy, "b").state()).isEqualTo(HealthState.UP);
            }
        }
    }

    // TCP check: a server that stops listening goes down; when it listens again it comes back.
    @Test
    void tcpCheckFollowsTheListener() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(fast(HealthCheck.tcp()), null, null, null,
                     null), a, b))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").lastProbes().size() >= 2);
            assertThat(status(proxy, "a").state()).isEqualTo(HealthState.UP);
            a.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            a.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.UP);
            // A TCP check sends no request.
            assertThat(a.requests()).isZero();
        }
    }

    // A server that answers slower than the check timeout is down; the check gives up at its timeout.
    @Test
    void slowServerFailsByTimeout() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(fast(HealthCheck.http("/health")), null,
                     null, null, null), a, b))) {
            a.healthMode(StubBackend.Mode.SLOW).slowMs(1000);
            await().atMost(Duration.ofSeconds(5)).until(() -> status(proxy, "a").state() == HealthState.DOWN);
            ProbeResult last = status(proxy, "a").lastProbes().get(status(proxy, "a").lastProbes().size() - 1);
            assertThat(last.detail()).isEqualTo("timeout after 80 ms");
            assertThat(last.latencyMs()).isLessThan(500);
        }
    }

    // Jitter: every delay lies within +-jitter of the interval, and the draws spread over that band.
    @Test
    void jitterStaysInItsBounds() {
        long min = Long.MAX_VALUE;
        long max = 0;
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            long d = HealthRegistry.jitteredDelayMs(2000, 15, random.nextDouble());
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(1700).isLessThan(1720);
        assertThat(max).isLessThanOrEqualTo(2300).isGreaterThan(2280);
        assertThat(HealthRegistry.jitteredDelayMs(2000, 0, 0.99)).isEqualTo(2000);
        assertThat(HealthRegistry.jitteredDelayMs(2000, 15, 0.0)).isEqualTo(1700);
    }

    // Jittered checks of two servers do not run in lockstep: their check times drift apart.
    @Test
    void checksOfServersDoNotRunInLockstep() throws Exception {
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(
                     new HealthCheck(null, null, "/health", null, null, null, null, null, null, 100L, 80L, null, null,
                             20), null, null, null, null), a, b))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> status(proxy, "a").lastProbes().size() >= 10
                    && status(proxy, "b").lastProbes().size() >= 10);
            List<ProbeResult> pa = status(proxy, "a").lastProbes();
            java.util.Set<Long> gaps = new java.util.HashSet<>();
            for (int i = 1; i < pa.size(); i++) {
                long gap = Duration.between(pa.get(i - 1).at(), pa.get(i).at()).toMillis();
                assertThat(gap).isBetween(70L, 200L); // 100 ms +-20% plus check time and scheduling slack
                gaps.add(gap / 5);
            }
            assertThat(gaps.size()).as("intervals vary").isGreaterThan(2);
        }
    }
}
