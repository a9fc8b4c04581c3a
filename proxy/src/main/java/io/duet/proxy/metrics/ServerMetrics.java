package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.DefaultSettableGauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SettableGauge;

/**
 * The metrics of one server of one pool, labelled {@code pool="...",server="..."}. Obtain with
 * {@link ProxyMetrics#forServer}; see {@link TrafficMetrics} for the recording contract. The three failure counters
 * are incremented with {@code inc()} from any thread; they never block.
 */
public final class ServerMetrics extends TrafficMetrics {
    private final Counter connectErrors;
    private final Counter responseTimeouts;
    private final Counter retries;
    private final SettableGauge<Integer> healthState;
    private final Counter healthTransitions;
    private final Counter checkFailures;
    private final Counter ejections;
    private final Counter addressChanges;

    ServerMetrics(MetricRegistry registry, String pool, String server) {
        super(registry, "server", "pool", pool, "server", server);
        connectErrors = registry.counter(register("duet_server_connect_errors_total", "pool", pool, "server", server));
        responseTimeouts = registry.counter(
                register("duet_server_response_timeouts_total", "pool", pool, "server", server));
        retries = registry.counter(register("duet_server_retries_total", "pool", pool, "server", server));
        healthState = settableGauge(registry, register("duet_server_health_state", "pool", pool, "server", server), 1);
        healthTransitions = registry.counter(
                register("duet_server_health_transitions_total", "pool", pool, "server", server));
        checkFailures = registry.counter(
                register("duet_server_health_check_failures_total", "pool", pool, "server", server));
        ejections = registry.counter(register("duet_server_ejections_total", "pool", pool, "server", server));
        addressChanges = registry.counter(
                register("duet_server_address_changes_total", "pool", pool, "server", server));
    }

    @SuppressWarnings("unchecked")
    static SettableGauge<Integer> settableGauge(MetricRegistry registry, String name, int initial) {
        return registry.gauge(name, () -> new DefaultSettableGauge<>(initial));
    }

    /**
     * The server's health state as a number ({@code duet_server_health_state}): 0 down, 1 up, 2 ejected,
     * 3 draining, 4 maintenance. Set by the health package.
     */
    public SettableGauge<Integer> healthState() {
        return healthState;
    }

    /** Changes of the health state ({@code duet_server_health_transitions_total}). */
    public Counter healthTransitions() {
        return healthTransitions;
    }

    /** Failed active checks ({@code duet_server_health_check_failures_total}). */
    public Counter checkFailures() {
        return checkFailures;
    }

    /** Ejections by passive outlier detection ({@code duet_server_ejections_total}). */
    public Counter ejections() {
        return ejections;
    }

    /**
     * Changes of the address of a server given by host name, including getting one and losing it
     * ({@code duet_server_address_changes_total}). Counted by the health package.
     */
    public Counter addressChanges() {
        return addressChanges;
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
