package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The traffic metrics shared by routes, pools and servers: requests, latency, responses by status class, requests in
 * flight.
 *
 * <p>Hot path: call {@link #requestStarted()} once when the request is attributed to this object and
 * {@link #requestFinished(int, long)} exactly once when it ends. Both are safe from any thread (I/O threads
 * included), never block and allocate nothing: a {@link Meter#mark()}, {@link Counter#inc()}/{@code dec()} and a
 * {@link Timer#update} on objects resolved when the bundle was built.
 *
 * <p>Latency uses a {@link LockFreeExponentiallyDecayingReservoir}: a fixed 1028-sample, forward-decaying sample
 * biased to the last five minutes, lock-free and bounded in memory whatever the request rate (a sliding time window
 * would keep every sample of the window).
 */
public abstract sealed class TrafficMetrics implements MetricBundle permits RouteMetrics, PoolMetrics, ServerMetrics {

    private final Meter requests;
    private final Timer latency;
    private final Counter active;
    private final Counter[] responsesByClass = new Counter[5];
    final List<String> names = new ArrayList<>(10);

    /**
     * Registers (or finds) the family set {@code duet_<kind>_requests_total}, {@code _request_duration_seconds},
     * {@code _responses_total{...,class="Nxx"}} and {@code _active_requests}.
     */
    TrafficMetrics(MetricRegistry registry, String kind, String... labels) {
        String prefix = "duet_" + kind + "_";
        requests = registry.meter(register(prefix + "requests_total", labels));
        latency = registry.timer(register(prefix + "request_duration_seconds", labels),
                () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
        String[] withClass = new String[labels.length + 2];
        System.arraycopy(labels, 0, withClass, 0, labels.length);
        withClass[labels.length] = "class";
        for (int c = 0; c < 5; c++) {
            withClass[labels.length + 1] = (c + 1) + "xx";
            responsesByClass[c] = registry.counter(register(prefix + "responses_total", withClass));
        }
        active = registry.counter(register(prefix + "active_requests", labels));
    }

    final String register(String family, String... labels) {
        String name = MetricName.encode(family, labels);
        names.add(name);
        return name;
    }

    /** A request was attributed to this object: counts it and marks it in flight. Any thread; never blocks. */
    public final void requestStarted() {
        requests.mark();
        active.inc();
    }

    /**
     * A request of this object ended. Any thread; never blocks.
     *
     * @param status        the status sent; outside 100-599 (e.g. 0 when the client went away before a response)
     *                      no status class is counted
     * @param durationNanos time from the start of the request to its end
     */
    public final void requestFinished(int status, long durationNanos) {
        active.dec();
        latency.update(durationNanos, TimeUnit.NANOSECONDS);
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

    @Override
    public final List<String> metricNames() {
        return List.copyOf(names);
    }
}
