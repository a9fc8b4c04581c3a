package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The decisions of one access rule: {@code duet_listener_access_total{listener,outcome}} for a listener's rule,
 * {@code duet_route_access_total{vhost,route,outcome}} for a route's, with {@code outcome} one of {@code allowed},
 * {@code denied} (deny and redirect answers, and tarpits refused because too many are held), {@code tarpitted}.
 * Three series per rule, one rule per listener or route: the cardinality is that of the document. Obtain with
 * {@link ProxyMetrics#forListenerAccess} or {@link ProxyMetrics#forRouteAccess}; recording is lock-free and
 * allocates nothing.
 */
public final class AccessMetrics implements MetricBundle {
    private final List<String> names = new ArrayList<>(3);
    private final Counter allowed;
    private final Counter denied;
    private final Counter tarpitted;

    AccessMetrics(MetricRegistry registry, String family, String... labels) {
        allowed = counter(registry, family, labels, "allowed");
        denied = counter(registry, family, labels, "denied");
        tarpitted = counter(registry, family, labels, "tarpitted");
    }

    private Counter counter(MetricRegistry registry, String family, String[] labels, String outcome) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = "outcome";
        all[labels.length + 1] = outcome;
        String name = MetricName.encode(family, all);
        names.add(name);
        return registry.counter(name);
    }

    /** A client the rule let through. */
    public void allowed() {
        allowed.inc();
    }

    /** A client the rule refused at once (deny, redirect, or a tarpit over its bound). */
    public void denied() {
        denied.inc();
    }

    /** A client the rule held before refusing it. */
    public void tarpitted() {
        tarpitted.inc();
    }

    public long allowedCount() {
        return allowed.getCount();
    }

    public long deniedCount() {
        return denied.getCount();
    }

    public long tarpittedCount() {
        return tarpitted.getCount();
    }

    @Override
    public List<String> metricNames() {
        return names;
    }
}
