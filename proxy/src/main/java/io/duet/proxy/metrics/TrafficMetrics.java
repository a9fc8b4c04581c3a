package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The traffic metrics shared by routes, pools and servers: requests, latency, responses by status class, requests in
 * flight.
 *
 * <p>Hot path: call {@link #requestStarted()} once when the request is attributed to this object and
 * {@link #requestFinished(int, long)} exactly once when it ends. Both are safe from any thread (I/O threads
 * included), never block and allocate nothing. Per request and bundle the cost is four {@code LongAdder} adds
 * (requests, latency count, latency sum, status class) and one reservoir store: no clock read, no tick check, no
 * random draw (a stock Dropwizard Meter + Timer + active Counter did two tick checks, twelve adds and an
 * exponentially decaying sample with {@code Math.exp}, a random draw and a skip-list insert).
 *
 * <ul>
 *   <li>requests: a {@link Meter} (registered as such) whose 1/5/15-minute rates are computed when read
 *       ({@link CountingMeter}); Prometheus takes rates with {@code rate()} over the count.</li>
 *   <li>latency: a {@link Timer} (registered as such) in nanoseconds keeping an exact sum and a sample of the most
 *       recent ~1024 durations per I/O thread ({@link LatencyTimer}, {@link RecentSamplesReservoir}); its rates
 *       are also computed when read.</li>
 *   <li>active: a {@link Counter} (registered as such) derived as requests started minus requests finished
 *       ({@link ActiveRequests}).</li>
 * </ul>
 */
public abstract sealed class TrafficMetrics implements MetricBundle permits RouteMetrics, PoolMetrics, ServerMetrics {

    private final CountingMeter requests;
    private final LatencyTimer latency;
    private final Counter active;
    private final Counter[] responsesByClass = new Counter[5];
    final List<String> names = new ArrayList<>(10);
    private final String kind;
    private final String[] labels;

    /**
     * Registers (or finds) the family set {@code duet_<kind>_requests_total}, {@code _request_duration_seconds},
     * {@code _responses_total{...,class="Nxx"}} and {@code _active_requests}.
     */
    TrafficMetrics(MetricRegistry registry, String kind, String... labels) {
        this.kind = kind;
        this.labels = labels.clone();
        String prefix = "duet_" + kind + "_";
        requests = reuseOrRegister(registry, register(prefix + "requests_total", labels), CountingMeter.class,
                m -> true, CountingMeter::new);
        latency = reuseOrRegister(registry, register(prefix + "request_duration_seconds", labels),
                LatencyTimer.class, t -> true, LatencyTimer::new);
        String[] withClass = new String[labels.length + 2];
        System.arraycopy(labels, 0, withClass, 0, labels.length);
        withClass[labels.length] = "class";
        for (int c = 0; c < 5; c++) {
            withClass[labels.length + 1] = (c + 1) + "xx";
            responsesByClass[c] = registry.counter(register(prefix + "responses_total", withClass));
        }
        active = reuseOrRegister(registry, register(prefix + "active_requests", labels), ActiveRequests.class,
                a -> a.derivesFrom(requests, latency), () -> new ActiveRequests(requests, latency));
    }

    /**
     * The metric already registered under this name if it is of this type and fits (e.g. a second ProxyMetrics on
     * the same registry: both then share it, as with {@code registry.meter(name)}), otherwise a new one replacing
     * whatever was there.
     */
    private static <T extends Metric> T reuseOrRegister(MetricRegistry registry, String name, Class<T> type,
                                                        Predicate<T> fits, Supplier<T> make) {
        Metric existing = registry.getMetrics().get(name);
        if (type.isInstance(existing) && fits.test(type.cast(existing))) {
            return type.cast(existing);
        }
        if (existing != null) {
            registry.remove(name);
        }
        return registry.register(name, make.get());
    }

    final String register(String family, String... labels) {
        String name = MetricName.encode(family, labels);
        names.add(name);
        return name;
    }

    /** A request was attributed to this object: counts it and marks it in flight. Any thread; never blocks. */
    public final void requestStarted() {
        requests.mark();
    }

    /**
     * A request of this object ended. Any thread; never blocks.
     *
     * @param status        the status sent; outside 100-599 (e.g. 0 when the client went away before a response)
     *                      no status class is counted
     * @param durationNanos time from the start of the request to its end; a negative value (clock trouble) counts
     *                      as 0 so that the request still leaves the in-flight count
     */
    public final void requestFinished(int status, long durationNanos) {
        latency.updateNanos(Math.max(0L, durationNanos));
        int c = status / 100 - 1;
        if (status >= 100 && c < 5) {
            responsesByClass[c].inc();
        }
    }

    /** Requests attributed to this object ({@code duet_<kind>_requests_total}). */
    public final Meter requests() {
        return requests;
    }

    /** Request durations in nanoseconds ({@code duet_<kind>_request_duration_seconds}). */
    public final Timer latency() {
        return latency;
    }

    /** Requests in flight ({@code duet_<kind>_active_requests}). */
    public final Counter active() {
        return active;
    }

    /** Responses of a status class 1-5 ({@code duet_<kind>_responses_total{class="Nxx"}}). */
    public final Counter responses(int statusClass) {
        return responsesByClass[statusClass - 1];
    }

    /** {@code route}, {@code pool} or {@code server}. */
    final String kind() {
        return kind;
    }

    /** The value of a label ({@code pool}, {@code server}, {@code vhost}, {@code route}), or null. */
    final String label(String key) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (labels[i].equals(key)) {
                return labels[i + 1];
            }
        }
        return null;
    }

    /** The request latencies: the history sampler reads the durations recorded since its last reading. */
    final LatencyTimer latencyTimer() {
        return latency;
    }

    @Override
    public final List<String> metricNames() {
        return List.copyOf(names);
    }
}
