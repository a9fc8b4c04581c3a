package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The metrics history over a real data plane and real backends: each sample holds the requests of its interval
 * (counts, status classes, Duet's own failures, latency percentiles), an idle interval has no latency, and objects
 * leave the history with the configuration. Samples are taken by the test (the sampler's period is an hour here).
 */
class MetricsHistoryTest {
    private static final long HOUR = 3_600_000;

    private static HistorySeries last(List<HistorySeries> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Waits until the pool has recorded this many finished requests (the client may see a response first). */
    private static void awaitFinished(ProxyFixture proxy, int n) {
        awaitFinished(proxy, "p", n);
    }

    private static void awaitFinished(ProxyFixture proxy, String poolName, int n) {
        com.codahale.metrics.Timer t = proxy.dataPlane().metrics().getTimers()
                .get(MetricName.encode("duet_pool_request_duration_seconds", "pool", poolName));
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> t.getCount() >= n);
    }

    private static int lastOf(int[] column) {
        return column[column.length - 1];
    }

    private static float lastOf(float[] column) {
        return column[column.length - 1];
    }

    // Ten requests of about 30 ms between two samples are the pool's, the route's and the server's interval.
    @Test
    void anIntervalHoldsItsRequestsAndTheirLatency() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1").mode(StubBackend.Mode.SLOW).slowMs(30);
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1))) {
            MetricsHistory history = proxy.dataPlane().startHistory(HOUR);
            history.sample(); // the first sample of each series: what it served since startHistory (nothing)
            history.sample();
            for (int i = 0; i < 10; i++) {
                assertThat(proxy.get("/x").statusCode()).isEqualTo(200);
            }
            awaitFinished(proxy, 10);
            history.sample();

            HistorySeries pool = last(history.query("pool", null, "p", 0));
            assertThat(pool.requests()).containsExactly(0, 0, 10);
            assertThat(lastOf(pool.responses2xx())).isEqualTo(10);
            assertThat(lastOf(pool.responses5xx())).isZero();
            assertThat(lastOf(pool.noServer())).isZero();
            assertThat(lastOf(pool.p50Ms())).isBetween(25f, 5_000f);
            assertThat(lastOf(pool.p99Ms())).isGreaterThanOrEqualTo(lastOf(pool.p95Ms()))
                    .isGreaterThanOrEqualTo(lastOf(pool.p50Ms()));
            assertThat(pool.atMillis()[2]).isGreaterThanOrEqualTo(pool.atMillis()[1])
                    .isGreaterThanOrEqualTo(pool.atMillis()[0]);
            assertThat(pool.atMillis()[2]).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());

            HistorySeries route = last(history.query("route", "default", "all", 0));
            assertThat(lastOf(route.requests())).isEqualTo(10);
            assertThat(route.connectErrors()).isNull();
            assertThat(route.noServer()).isNull();
            HistorySeries server = last(history.query("server", "p", "b1", 0));
            assertThat(lastOf(server.responses2xx())).isEqualTo(10);
            assertThat(server.noServer()).isNull();
            assertThat(history.query("server", "p", null, 0)).hasSize(1);
            assertThat(history.query("server", "other", null, 0)).isEmpty();

            // An idle interval: no requests and no latency (not the last value).
            history.sample();
            assertThat(lastOf(last(history.query("pool", null, "p", 0)).requests())).isZero();
            assertThat(lastOf(last(history.query("pool", null, "p", 0)).p95Ms())).isNaN();
            // since: only the samples taken after it.
            long cut = pool.atMillis()[2] - 1;
            assertThat(last(history.query("pool", null, "p", cut)).requests()).containsExactly(10, 0);
        }
    }

    // A server that refuses connections: the backend failures (connect errors, 502) and, with no server up, 503s
    // for want of a server show in the interval they happened in.
    @Test
    void duetsOwnFailuresAreCounted() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1");
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1))) {
            MetricsHistory history = proxy.dataPlane().startHistory(HOUR);
            history.sample();
            b1.stop();
            int failed = 0;
            for (int i = 0; i < 3; i++) {
                failed += proxy.get("/x").statusCode() >= 500 ? 1 : 0;
            }
            awaitFinished(proxy, 3);
            history.sample();
            HistorySeries pool = last(history.query("pool", null, "p", 0));
            assertThat(failed).isEqualTo(3);
            assertThat(lastOf(pool.responses5xx())).isEqualTo(3);
            assertThat(lastOf(pool.connectErrors())).isGreaterThanOrEqualTo(1);
            assertThat(lastOf(pool.connectErrors()) + lastOf(pool.noServer())).isGreaterThanOrEqualTo(3);
            assertThat(lastOf(last(history.query("server", "p", "b1", 0)).connectErrors()))
                    .isEqualTo(lastOf(pool.connectErrors()));
        }
    }

    // A pool that leaves the configuration leaves the history; one that comes has its first sample at the next
    // sample, holding the requests it served since it came.
    @Test
    void objectsFollowTheConfiguration() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1");
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1))) {
            MetricsHistory history = proxy.dataPlane().startHistory(HOUR);
            history.sample();
            history.sample();
            assertThat(history.query("pool", null, "p", 0)).hasSize(1);
            DuetConfig renamed = io.duet.config.build.ConfigBuilders.document().revision(2)
                    .listener(new io.duet.config.Listener("http", "127.0.0.1", 0))
                    .virtualHost(io.duet.config.build.ConfigBuilders.virtualHost("default").hostname("example.test")
                            .defaultHost().route(io.duet.config.build.ConfigBuilders.forward("all",
                                    io.duet.config.RouteMatch.any(), "q")))
                    .pool(io.duet.config.build.ConfigBuilders.pool("q").server(
                            io.duet.config.build.ConfigBuilders.server("127.0.0.1", b1.port()).id("b1")))
                    .build();
            proxy.dataPlane().apply(renamed);
            for (int i = 0; i < 2; i++) {
                assertThat(proxy.get("/x").statusCode()).isEqualTo(200);
            }
            awaitFinished(proxy, "q", 2);
            history.sample();
            assertThat(history.query("pool", null, "p", 0)).isEmpty();
            assertThat(last(history.query("pool", null, "q", 0)).requests()).containsExactly(2);
            assertThat(last(history.query("route", "default", "all", 0)).requests()).containsExactly(0, 0, 2);
            history.sample();
            assertThat(last(history.query("pool", null, "q", 0)).requests()).containsExactly(2, 0);
        }
    }

    // The first sample of an object holds what it served before: since the history was made for a pool there then,
    // since its creation for a pool created between two samples, with their latency (the bug: the first sample took
    // the counts as its baseline, so whatever a pool served in its first period, up to 5 s, never showed; a dashboard
    // test that sent its requests right after adding its pool saw 0 requests whenever it ran fast enough, i.e.
    // after another test had warmed the JVM).
    @Test
    void anObjectsFirstRequestsAreInItsFirstInterval() {
        ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());
        PoolMetrics a = metrics.forPool("a");
        a.requestStarted();
        MetricsHistory history = new MetricsHistory(metrics, Clock.systemUTC(), 5_000, 720, 10);
        a.requestStarted();
        a.requestStarted();
        history.sample();
        assertThat(last(history.query("pool", null, "a", 0)).requests()).containsExactly(2);
        PoolMetrics web = metrics.forPool("web");
        ServerMetrics b1 = metrics.forServer("web", "b1");
        for (int i = 0; i < 3; i++) {
            web.requestStarted();
            b1.requestStarted();
            web.requestFinished(200, 2_000_000);
            b1.requestFinished(200, 2_000_000);
        }
        history.sample();
        HistorySeries pool = last(history.query("pool", null, "web", 0));
        assertThat(pool.requests()).containsExactly(3);
        assertThat(pool.responses2xx()).containsExactly(3);
        assertThat(pool.p95Ms()).containsExactly(2f);
        assertThat(last(history.query("server", "web", "b1", 0)).requests()).containsExactly(3);
        history.sample();
        assertThat(last(history.query("pool", null, "web", 0)).requests()).containsExactly(3, 0);
        assertThat(last(history.query("pool", null, "a", 0)).requests()).containsExactly(2, 0, 0);
    }

    // Memory is bounded: beyond maxSeries, routes and servers get no history (pools first) and are counted.
    @Test
    void seriesAreCapped() {
        ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());
        metrics.forServer("a", "s1");
        metrics.forRoute("h", "r1");
        metrics.forPool("a");
        metrics.forPool("b");
        MetricsHistory history = new MetricsHistory(metrics, Clock.systemUTC(), 5_000, 720, 3);
        history.sample();
        assertThat(history.seriesCount()).isEqualTo(3);
        assertThat(history.untracked()).isEqualTo(1);
        assertThat(history.query("pool", null, null, 0)).hasSize(2);
        assertThat(history.query("server", null, null, 0)).isEmpty();
        assertThat(history.bytes()).isEqualTo(3 * (16 + 48 * 720) + 12 * 720);
        assertThatThrownBy(() -> new MetricsHistory(metrics, Clock.systemUTC(), 0, 720, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("periodMillis: 0");
    }

    // The ring keeps the last `capacity` samples and drops the oldest.
    @Test
    void theRingKeepsTheLastSamples() {
        ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());
        PoolMetrics a = metrics.forPool("a");
        MetricsHistory history = new MetricsHistory(metrics, Clock.systemUTC(), 5_000, 4, 10);
        history.sample();
        for (int i = 1; i <= 6; i++) {
            for (int k = 0; k < i; k++) {
                a.requestStarted();
            }
            history.sample();
        }
        assertThat(last(history.query("pool", null, "a", 0)).requests()).containsExactly(3, 4, 5, 6);
    }
}
