package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Hands out the pre-registered metric bundles of the proxy's configured objects.
 *
 * <p>Use: while compiling a configuration snapshot (off the I/O threads), call {@link #forRoute}, {@link #forPool},
 * {@link #forServer} and {@link #forListener} for every object of the new document and keep the bundles in the
 * snapshot; then call {@link #retainOnly} with all of them so the metrics of objects that are gone leave the
 * registry. The same key always gives the same bundle instance until it is removed, so counts survive reloads.
 * The request path only calls recording methods on bundles it holds: no name building, no lookup by string.
 *
 * <p>Thread-safety: the methods of this class are synchronized and meant for the configuration thread; they may
 * take a lock and allocate. A request still running on an old snapshot may record into a bundle that was just
 * removed: harmless, its counts are simply no longer exported.
 */
public final class ProxyMetrics {
    private final MetricRegistry registry;
    private final Map<RouteKey, RouteMetrics> routes = new HashMap<>();
    private final Map<String, PoolMetrics> pools = new HashMap<>();
    private final Map<ServerKey, ServerMetrics> servers = new HashMap<>();
    private final Map<String, EdgeMetrics> listeners = new HashMap<>();
    private final Map<String, CertificateMetrics> certificates = new HashMap<>();
    private final Map<String, AccessMetrics> listenerAccess = new HashMap<>();
    private final Map<RouteKey, AccessMetrics> routeAccess = new HashMap<>();
    private final Map<String, RateLimitMetrics> rateLimits = new HashMap<>();

    private record RouteKey(String vhost, String route) {
    }

    private record ServerKey(String pool, String server) {
    }

    public ProxyMetrics(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry the bundles are registered in. */
    public MetricRegistry registry() {
        return registry;
    }

    /** The bundle of a route, labelled {@code vhost},{@code route}; created and registered on first use. */
    public synchronized RouteMetrics forRoute(String vhost, String route) {
        return routes.computeIfAbsent(new RouteKey(vhost, route), k -> new RouteMetrics(registry, vhost, route));
    }

    /** The bundle of a pool, labelled {@code pool}; created and registered on first use. */
    public synchronized PoolMetrics forPool(String pool) {
        return pools.computeIfAbsent(pool, k -> new PoolMetrics(registry, pool));
    }

    /** The bundle of a server of a pool, labelled {@code pool},{@code server}; created and registered on first use. */
    public synchronized ServerMetrics forServer(String pool, String serverId) {
        return servers.computeIfAbsent(new ServerKey(pool, serverId), k -> new ServerMetrics(registry, pool, serverId));
    }

    /** The edge bundle of a listener, labelled {@code listener}; created and registered on first use. */
    public synchronized EdgeMetrics forListener(String listener) {
        return listeners.computeIfAbsent(listener, k -> new EdgeMetrics(registry, listener));
    }

    /** The bundle of a TLS certificate, labelled {@code certificate}; created and registered on first use. */
    public synchronized CertificateMetrics forCertificate(String certificate) {
        return certificates.computeIfAbsent(certificate, k -> new CertificateMetrics(registry, certificate));
    }

    /** The bundle of a listener's access rule, labelled {@code listener}; created and registered on first use. */
    public synchronized AccessMetrics forListenerAccess(String listener) {
        return listenerAccess.computeIfAbsent(listener,
                k -> new AccessMetrics(registry, "duet_listener_access_total", "listener", listener));
    }

    /** The bundle of a route's access rule, labelled {@code vhost},{@code route}; created on first use. */
    public synchronized AccessMetrics forRouteAccess(String vhost, String route) {
        return routeAccess.computeIfAbsent(new RouteKey(vhost, route),
                k -> new AccessMetrics(registry, "duet_route_access_total", "vhost", vhost, "route", route));
    }

    /** The bundle of a rate limit, labelled {@code limit}; created and registered on first use. */
    public synchronized RateLimitMetrics forRateLimit(String limit) {
        return rateLimits.computeIfAbsent(limit, k -> new RateLimitMetrics(registry, limit));
    }

    /**
     * The traffic bundles handed out and not removed: pools first, then routes, then servers (the order the history
     * keeps them in when it must leave some out). A copy; off the I/O threads (takes this object's lock).
     */
    public synchronized java.util.List<TrafficMetrics> traffic() {
        java.util.List<TrafficMetrics> out = new java.util.ArrayList<>(pools.size() + routes.size() + servers.size());
        out.addAll(pools.values());
        out.addAll(routes.values());
        out.addAll(servers.values());
        return out;
    }

    /**
     * Keeps the bundles given and removes every other bundle handed out so far, with its metrics, from the
     * registry (and so from JMX and the exposition). Pass every bundle the new snapshot holds. Idempotent.
     */
    public synchronized void retainOnly(Collection<? extends MetricBundle> keep) {
        Set<MetricBundle> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keep);
        removeAllBut(routes, kept);
        removeAllBut(pools, kept);
        removeAllBut(servers, kept);
        removeAllBut(listeners, kept);
        removeAllBut(certificates, kept);
        removeAllBut(listenerAccess, kept);
        removeAllBut(routeAccess, kept);
        removeAllBut(rateLimits, kept);
    }

    private void removeAllBut(Map<?, ? extends MetricBundle> bundles, Set<MetricBundle> kept) {
        for (Iterator<? extends MetricBundle> it = bundles.values().iterator(); it.hasNext(); ) {
            MetricBundle b = it.next();
            if (!kept.contains(b)) {
                it.remove();
                for (String name : b.metricNames()) {
                    registry.remove(name);
                }
            }
        }
    }
}
