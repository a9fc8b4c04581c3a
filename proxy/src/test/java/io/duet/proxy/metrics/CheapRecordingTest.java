package io.duet.proxy.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The cheap request-path metric types: lazy rates, recent-samples reservoir, exact sum, derived in-flight count. */
class CheapRecordingTest {

    private static final class ManualClock extends Clock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long getTick() {
            return nanos.get();
        }

        void advanceSeconds(long s) {
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(s));
        }
    }

    // Rates computed on read match a steady request rate even when nobody read them while the requests came in.
    @Test
    void lazyRatesOfSteadyTrafficReadOnlyAtTheEnd() {
        ManualClock clock = new ManualClock();
        CountingMeter meter = new CountingMeter(clock);
        for (int second = 0; second < 600; second++) {
            meter.mark(100);
            clock.advanceSeconds(1);
        }
        assertThat(meter.getCount()).isEqualTo(60_000);
        assertThat(meter.getOneMinuteRate()).isCloseTo(100.0, within(0.001));
        assertThat(meter.getFiveMinuteRate()).isCloseTo(100.0, within(0.001));
        assertThat(meter.getFifteenMinuteRate()).isCloseTo(100.0, within(0.001));
        assertThat(meter.getMeanRate()).isCloseTo(100.0, within(0.001));

        // Ten idle minutes later the one-minute rate has decayed to nothing, the fifteen-minute one only partly.
        clock.advanceSeconds(600);
        assertThat(meter.getOneMinuteRate()).isLessThan(0.01);
        assertThat(meter.getFifteenMinuteRate()).isBetween(40.0, 60.0);
    }

    // Read every 5 s, lazy rates follow a step in traffic like Dropwizard's per-mark ticking would.
    @Test
    void lazyRatesFollowAStepWhenReadOften() {
        ManualClock clock = new ManualClock();
        CountingMeter meter = new CountingMeter(clock);
        for (int tick = 0; tick < 24; tick++) { // two minutes at 10/s
            meter.mark(50);
            clock.advanceSeconds(5);
            meter.getOneMinuteRate();
        }
        assertThat(meter.getOneMinuteRate()).isCloseTo(10.0, within(0.01));
        for (int tick = 0; tick < 12; tick++) { // one minute at 1000/s
            meter.mark(5000);
            clock.advanceSeconds(5);
            meter.getOneMinuteRate();
        }
        // After one minute (one time constant) the EWMA covers 1 - 1/e of the step.
        assertThat(meter.getOneMinuteRate()).isCloseTo(10 + 990 * (1 - Math.exp(-1)), within(5.0));
    }

    // The latency timer counts completions, keeps an exact sum and takes its rates from its count.
    @Test
    void latencyTimerCountsSumsAndRates() {
        ManualClock clock = new ManualClock();
        LatencyTimer timer = new LatencyTimer(new RecentSamplesReservoir(1, 4), clock);
        for (int i = 1; i <= 9; i++) {
            timer.updateNanos(i * 1000L);
        }
        timer.updateNanos(-5);
        timer.update(3, TimeUnit.MICROSECONDS);
        clock.advanceSeconds(10);

        assertThat(timer.getCount()).isEqualTo(10);
        assertThat(timer.sumNanos()).isEqualTo(45_000 + 3_000);
        assertThat(timer.getSnapshot().getValues()).containsExactly(3_000, 7_000, 8_000, 9_000);
        assertThat(timer.getMeanRate()).isCloseTo(1.0, within(0.001));
        assertThat(timer.getOneMinuteRate()).isCloseTo(1.0, within(0.001));
    }

    // Each stripe keeps its latest values; concurrent writers never produce a value nobody recorded.
    @Test
    void reservoirKeepsRecentValuesAndNeverInventsOne() throws InterruptedException {
        RecentSamplesReservoir reservoir = new RecentSamplesReservoir(2, 64);
        assertThat(reservoir.getSnapshot().size()).isZero();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long base = (t + 1) * 1_000_000_000_000L;
            threads.add(new Thread(() -> {
                for (long i = 0; i < 200_000; i++) {
                    reservoir.update(base + i);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        long[] values = reservoir.getSnapshot().getValues();
        assertThat(values.length).isLessThanOrEqualTo(128).isEqualTo(reservoir.size());
        Set<Long> distinct = new HashSet<>();
        for (long v : values) {
            long offset = v % 1_000_000_000_000L;
            assertThat(v / 1_000_000_000_000L).isBetween(1L, 4L);
            assertThat(offset).isBetween(0L, 199_999L);
            distinct.add(v);
        }
        assertThat(distinct).hasSizeGreaterThan(1);
    }

    // In flight is started minus finished: a negative duration still ends the request; inc/dec shift the value.
    @Test
    void activeIsDerivedFromStartedAndFinished() {
        ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());
        ServerMetrics server = metrics.forServer("web", "b1");
        server.requestStarted();
        server.requestStarted();
        server.requestFinished(200, -1);
        assertThat(server.active().getCount()).isEqualTo(1);
        server.active().inc(5);
        assertThat(server.active().getCount()).isEqualTo(6);
        server.active().dec(5);
        server.requestFinished(0, 10);
        assertThat(server.active().getCount()).isZero();
        assertThat(server.latency().getCount()).isEqualTo(2);
    }

    // The exposition's _sum is the exact sum of the durations, in seconds.
    @Test
    void expositionSumIsExact() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        RouteMetrics route = new ProxyMetrics(registry).forRoute("api", "users");
        for (long ms : new long[]{1, 2, 4}) {
            route.requestStarted();
            route.requestFinished(200, TimeUnit.MILLISECONDS.toNanos(ms));
        }
        StringBuilder sb = new StringBuilder();
        PrometheusTextWriter.write(registry, sb);
        assertThat(PrometheusTextValidator.validate(sb.toString()))
                .containsEntry("duet_route_request_duration_seconds_sum{vhost=\"api\",route=\"users\"}", "0.007")
                .containsEntry("duet_route_request_duration_seconds_count{vhost=\"api\",route=\"users\"}", "3")
                .containsEntry("duet_route_request_duration_seconds{vhost=\"api\",route=\"users\",quantile=\"0.5\"}",
                        "0.002")
                .containsEntry("duet_route_active_requests{vhost=\"api\",route=\"users\"}", "0");
    }

    // Two ProxyMetrics on one registry share the metrics of a bundle, as registry.meter(name) did.
    @Test
    void secondProxyMetricsOnSameRegistryShares() {
        MetricRegistry registry = new MetricRegistry();
        PoolMetrics a = new ProxyMetrics(registry).forPool("web");
        PoolMetrics b = new ProxyMetrics(registry).forPool("web");
        a.requestStarted();
        b.requestStarted();
        assertThat(a.requests()).isSameAs(b.requests());
        assertThat(a.latency()).isSameAs(b.latency());
        assertThat(b.active().getCount()).isEqualTo(2);
        assertThat(registry.getMeters().get("duet_pool_requests_total{pool=\"web\"}").getCount()).isEqualTo(2);
    }
}
