package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * The metrics of one pool, labelled {@code pool="..."}. Obtain with {@link ProxyMetrics#forPool}; see
 * {@link TrafficMetrics} for the recording contract.
 */
public final class PoolMetrics extends TrafficMetrics {
    private final Counter noServerAvailable;

    PoolMetrics(MetricRegistry registry, String pool) {
        super(registry, "pool", "pool", pool);
        noServerAvailable = registry.counter(register("duet_pool_no_server_available_total", "pool", pool));
    }

    /**
     * Requests answered 503 because no server of the pool was up ({@code duet_pool_no_server_available_total}).
     * Call {@code inc()} in addition to {@link #requestFinished(int, long)} with 503.
     */
    public Counter noServerAvailable() {
        return noServerAvailable;
    }
}
