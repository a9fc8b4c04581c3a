package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ErrorPage;
import io.duet.config.VirtualHost;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.proxy.access.AccessHandler;
import io.duet.proxy.access.AccessTable;
import io.duet.proxy.access.Tarpit;
import io.duet.proxy.accesslog.AccessLogWriter;
import io.duet.proxy.action.MaintenanceHandler;
import io.duet.proxy.action.RouteActions;
import io.duet.proxy.affinity.AffinityTables;
import io.duet.proxy.affinity.PoolAffinity;
import io.duet.proxy.affinity.RouteAffinity;
import io.duet.proxy.forward.ForwardingHeaders;
import io.duet.proxy.forward.Forwarder;
import io.duet.proxy.health.PoolFallback;
import io.duet.proxy.health.ServerOutcomes;
import io.duet.proxy.metrics.MetricBundle;
import io.duet.proxy.metrics.ProxyMetrics;
import io.duet.proxy.metrics.RouteMetrics;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.ConnectionPools;
import io.duet.proxy.routing.HostTable;
import io.duet.proxy.ratelimit.RateLimits;
import io.duet.proxy.request.RequestContext;
import io.duet.proxy.response.ErrorPages;
import io.duet.proxy.routing.RouteCompiler;
import io.duet.proxy.routing.VirtualHostRoutes;
import io.undertow.server.HttpHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a validated document into a {@link RuntimeSnapshot}. Runs on the reload thread, never on an I/O thread;
 * reuses the connection pools of servers that did not change and the metrics of objects that still exist.
 */
public final class SnapshotCompiler {
    private final ConnectionPools connectionPools;
    private final ProxyMetrics metrics;
    private final String nodeName;
    private final AffinityTables affinityTables;
    private final ServerOutcomes outcomes;
    /** Tarpitted requests held at once, bounded for the data plane across reloads. */
    private final Tarpit tarpit = new Tarpit(Tarpit.DEFAULT_CAPACITY);
    private final RateLimits rateLimits;

    /**
     * @param outcomes where forwarders report each request's outcome per server (passive health)
     * @param keys     the node's data key, which opens sealed affinity signing keys; null: only keys in clear
     */
    public SnapshotCompiler(ConnectionPools connectionPools, ProxyMetrics metrics, String nodeName,
                            ServerOutcomes outcomes, io.duet.tls.KeyVault keys) {
        this.connectionPools = connectionPools;
        this.metrics = metrics;
        this.nodeName = nodeName;
        this.outcomes = outcomes;
        this.affinityTables = new AffinityTables(keys);
        this.rateLimits = new RateLimits(metrics);
    }

    /**
     * @param accessLog the access log writer the snapshot uses (owned by the caller), or {@code null}
     * @throws IllegalArgumentException when a part of the document cannot be compiled (a validated document compiles)
     */
    public RuntimeSnapshot compile(DuetConfig config, AccessLogWriter accessLog) {
        List<MetricBundle> bundles = new ArrayList<>();
        Map<String, BackendPool> pools = new HashMap<>();
        Map<String, PoolAffinity> affinities = new HashMap<>();
        for (Pool p : config.pools()) {
            BackendPool pool = connectionPools.build(p, config.limits().backendConnectTimeoutMs(), metrics);
            pools.put(p.name(), pool);
            affinities.put(p.name(), affinityTables.forPool(p, pool));
            bundles.add(pool.metrics());
            for (BackendServer s : pool.servers()) {
                bundles.add(s.metrics());
            }
        }
        affinityTables.retainOnly(pools.keySet());
        connectionPools.awaitAddresses(); // new servers given by name are published with their first address
        ForwardingHeaders forwarding = new ForwardingHeaders(config.forwarding(), nodeName);
        AccessTable access = new AccessTable(config, metrics, tarpit);
        RateLimits.Compiled limits = rateLimits.compile(config,
                ex -> { // the real client, worked out once per request (the access rules may have done it)
                    RequestContext c = RequestContext.peek(ex);
                    java.net.InetAddress known = c == null ? null : c.realClient();
                    return known != null ? known : forwarding.realClient(ex, c);
                }, bundles);
        Map<String, HttpHandler> listenerLimits = new HashMap<>();
        for (Listener l : config.listeners()) {
            if (!l.rateLimits().isEmpty()) {
                listenerLimits.put(l.name(), limits.wrap(l.rateLimits(), null, RootHandler.ROUTE));
            }
        }
        HostTable<VirtualHostRoutes> hosts = RouteCompiler.compile(config.virtualHosts(),
                (vhost, route) -> AccessHandler.wrap(access.route(vhost, route),
                        limits.wrap(route.rateLimits(), vhost + "/" + route.name(),
                                RouteActions.compile(route, forwarder(config, route, pools, affinities, forwarding)))),
                (vhost, route) -> {
                    RouteMetrics m = metrics.forRoute(vhost, route);
                    bundles.add(m);
                    return m;
                },
                entries -> access.set(entries)::contains, SnapshotCompiler::hostAnswers);
        bundles.addAll(access.metrics());
        return new RuntimeSnapshot(config, hosts, pools, forwarding, accessLog, bundles, access, listenerLimits);
    }

    /** The data plane's bound on tarpitted requests (requests held now). */
    public Tarpit tarpit() {
        return tarpit;
    }

    /** The node's rate limits (their state outlives snapshots). */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** A host's error pages (encoded once here) and its maintenance answer while its switch is on. */
    private static VirtualHostRoutes.HostAnswers hostAnswers(VirtualHost vh) {
        ErrorPages pages = null;
        for (ErrorPage p : vh.errorPages()) {
            pages = pages == null ? new ErrorPages() : pages;
            pages.page(p.status(), p.contentType(), p.body());
        }
        return new VirtualHostRoutes.HostAnswers(pages, MaintenanceHandler.of(vh.maintenance()));
    }

    /** The live affinity state of the pools (sticky clients per server). */
    public AffinityTables affinityTables() {
        return affinityTables;
    }

    private HttpHandler forwarder(DuetConfig config, Route route, Map<String, BackendPool> pools,
                                  Map<String, PoolAffinity> affinities, ForwardingHeaders forwarding) {
        if (route.pool() == null) {
            return null;
        }
        BackendPool pool = pools.get(route.pool());
        if (pool == null) {
            throw new IllegalArgumentException("route '" + route.name() + "': unknown pool '" + route.pool() + "'");
        }
        // Health: the pool's fallback (another pool or a fixed page) when none of its servers is available.
        return PoolFallback.wrap(pool, config.pool(route.pool()).fallback(),
                forwarder(config, route, pool, affinities.get(pool.name()), forwarding),
                name -> forwarder(config, route, pools.get(name), affinities.get(name), forwarding));
    }

    private HttpHandler forwarder(DuetConfig config, Route route, BackendPool pool, PoolAffinity affinity,
                                  ForwardingHeaders forwarding) {
        long responseTimeout = route.responseTimeoutMs() != null
                ? route.responseTimeoutMs() : config.limits().backendResponseTimeoutMs();
        return new Forwarder(pool, route.retries(), responseTimeout, forwarding, RouteAffinity.of(route, affinity),
                outcomes);
    }
}
