package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;

/**
 * The metrics of one route of one virtual host, labelled {@code vhost="...",route="..."}. Obtain with
 * {@link ProxyMetrics#forRoute}; see {@link TrafficMetrics} for the recording contract.
 */
public final class RouteMetrics extends TrafficMetrics {
    RouteMetrics(MetricRegistry registry, String vhost, String route) {
        super(registry, "route", "vhost", vhost, "route", route);
    }
}
