package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SettableGauge;

/**
 * The metrics of one pool, labelled {@code pool="..."}. Obtain with {@link ProxyMetrics#forPool}; see
 * {@link TrafficMetrics} for the recording contract.
 */
public final class PoolMetrics extends TrafficMetrics {
    private final Counter noServerAvailable;
    private final SettableGauge<Integer> availableServers;
    private final SettableGauge<Integer> panic;
    private final Counter fallbacks;
    private final Counter queued;
    private final Counter queueFull;
    private final Counter queueTimeouts;

    PoolMetrics(MetricRegistry registry, String pool) {
        super(registry, "pool", "pool", pool);
        noServerAvailable = registry.counter(register("duet_pool_no_server_available_total", "pool", pool));
        availableServers = ServerMetrics.settableGauge(registry, register("duet_pool_available_servers", "pool", pool), 0);
        panic = ServerMetrics.settableGauge(registry, register("duet_pool_panic", "pool", pool), 0);
        fallbacks = registry.counter(register("duet_pool_fallbacks_total", "pool", pool));
        queued = registry.counter(register("duet_pool_queued_total", "pool", pool));
        queueFull = registry.counter(register("duet_pool_queue_full_total", "pool", pool));
        queueTimeouts = registry.counter(register("duet_pool_queue_timeouts_total", "pool", pool));
    }

    /** Servers of the pool that take new requests ({@code duet_pool_available_servers}). Set by the health package. */
    public SettableGauge<Integer> availableServers() {
        return availableServers;
    }

    /** 1 while the pool is in panic ({@code duet_pool_panic}). Set by the health package. */
    public SettableGauge<Integer> panic() {
        return panic;
    }

    /** Requests sent to the pool's fallback because no server was available ({@code duet_pool_fallbacks_total}). */
    public Counter fallbacks() {
        return fallbacks;
    }

    /** Requests that waited in the pool's queue for a server slot ({@code duet_pool_queued_total}). */
    public Counter queued() {
        return queued;
    }

    /** Requests answered 503 because the pool's queue was full ({@code duet_pool_queue_full_total}). */
    public Counter queueFull() {
        return queueFull;
    }

    /** Requests answered 503 after waiting queueTimeoutMs ({@code duet_pool_queue_timeouts_total}). */
    public Counter queueTimeouts() {
        return queueTimeouts;
    }

    /**
     * Requests answered 503 because no server of the pool was up ({@code duet_pool_no_server_available_total}).
     * Call {@code inc()} in addition to {@link #requestFinished(int, long)} with 503.
     */
    public Counter noServerAvailable() {
        return noServerAvailable;
    }
}
