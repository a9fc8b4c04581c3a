package io.duet.proxy.metrics;

import java.util.List;

/**
 * The metrics of one configured object (route, pool, server, listener), registered once and held by the compiled
 * configuration snapshot. Recording methods are safe from any thread, never block and allocate nothing.
 */
public sealed interface MetricBundle permits TrafficMetrics, EdgeMetrics, CertificateMetrics,
        AccessMetrics, RateLimitMetrics {

    /** The Dropwizard names this bundle registered, in registration order. */
    List<String> metricNames();
}
