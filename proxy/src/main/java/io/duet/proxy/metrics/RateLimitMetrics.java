package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.List;

/**
 * The metrics of one rate limit, labelled {@code limit="..."}: {@code duet_rate_limit_requests_total} by
 * {@code outcome} ({@code allowed}, {@code limited}, {@code delayed}, {@code unkeyed}: the request did not carry the
 * key and was not counted). Obtain with {@link ProxyMetrics#forRateLimit}. Recording: any thread, never blocks,
 * allocates nothing.
 */
public final class RateLimitMetrics implements MetricBundle {
    private static final String FAMILY = "duet_rate_limit_requests_total";
    private final Counter allowed;
    private final Counter limited;
    private final Counter delayed;
    private final Counter unkeyed;
    private final List<String> names;

    RateLimitMetrics(MetricRegistry registry, String limit) {
        String a = MetricName.encode(FAMILY, "limit", limit, "outcome", "allowed");
        String l = MetricName.encode(FAMILY, "limit", limit, "outcome", "limited");
        String d = MetricName.encode(FAMILY, "limit", limit, "outcome", "delayed");
        String u = MetricName.encode(FAMILY, "limit", limit, "outcome", "unkeyed");
        allowed = registry.counter(a);
        limited = registry.counter(l);
        delayed = registry.counter(d);
        unkeyed = registry.counter(u);
        names = List.of(a, l, d, u);
    }

    public void allowed() {
        allowed.inc();
    }

    public void limited() {
        limited.inc();
    }

    public void delayed() {
        delayed.inc();
    }

    public void unkeyed() {
        unkeyed.inc();
    }

    public long allowedCount() {
        return allowed.getCount();
    }

    public long limitedCount() {
        return limited.getCount();
    }

    public long delayedCount() {
        return delayed.getCount();
    }

    public long unkeyedCount() {
        return unkeyed.getCount();
    }

    @Override
    public List<String> metricNames() {
        return names;
    }
}
