package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * The metrics of one server of one pool, labelled {@code pool="...",server="..."}. Obtain with
 * {@link ProxyMetrics#forServer}; see {@link TrafficMetrics} for the recording contract. The three failure counters
 * are incremented with {@code inc()} from any thread; they never block.
 */
public final class ServerMetrics extends TrafficMetrics {
    private final Counter connectErrors;
    private final Counter responseTimeouts;
    private final Counter retries;

    ServerMetrics(MetricRegistry registry, String pool, String server) {
        super(registry, "server", "pool", pool, "server", server);
        connectErrors = registry.counter(register("duet_server_connect_errors_total", "pool", pool, "server", server));
        responseTimeouts = registry.counter(
                register("duet_server_response_timeouts_total", "pool", pool, "server", server));
        retries = registry.counter(register("duet_server_retries_total", "pool", pool, "server", server));
    }

    /** Failed connection attempts: refused, reset, connect timeout ({@code duet_server_connect_errors_total}). */
    public Counter connectErrors() {
        return connectErrors;
    }

    /** Requests that timed out waiting for the response ({@code duet_server_response_timeouts_total}). */
    public Counter responseTimeouts() {
        return responseTimeouts;
    }

    /** Requests retried on another attempt after failing at this server ({@code duet_server_retries_total}). */
    public Counter retries() {
        return retries;
    }
}
