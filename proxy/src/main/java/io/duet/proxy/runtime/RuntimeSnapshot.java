package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.proxy.access.AccessTable;
import io.duet.proxy.accesslog.AccessLogWriter;
import io.duet.proxy.forward.ForwardingHeaders;
import io.duet.proxy.metrics.MetricBundle;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.request.RequestContext;
import io.duet.proxy.routing.HostTable;
import io.duet.proxy.routing.VirtualHostRoutes;
import io.undertow.server.HttpHandler;

import java.util.List;
import java.util.Map;

/**
 * Everything a request needs, compiled from one configuration document. Immutable; a request takes the current
 * snapshot once when it starts and keeps it in its {@link RequestContext} until it ends, whatever reloads happen
 * meanwhile.
 *
 * @param config     the document it was compiled from
 * @param hosts      virtual host lookup
 * @param pools      compiled pools by name
 * @param forwarding forwarding header rules and request ids
 * @param accessLog  the access log, or {@code null} when it is off
 * @param metrics    every metric bundle this snapshot records into (the rest can be dropped)
 * @param access     the access rules of listeners and routes, and whether a request's real client is needed
 * @param listenerRateLimits per listener name with rate limits: its limits in front of routing
 */
public record RuntimeSnapshot(DuetConfig config, HostTable<VirtualHostRoutes> hosts, Map<String, BackendPool> pools,
                              ForwardingHeaders forwarding, AccessLogWriter accessLog, List<MetricBundle> metrics,
                              AccessTable access, Map<String, HttpHandler> listenerRateLimits)
        implements RequestContext.Snapshot {

    public RuntimeSnapshot {
        pools = Map.copyOf(pools);
        metrics = List.copyOf(metrics);
        listenerRateLimits = Map.copyOf(listenerRateLimits);
    }

    public long revision() {
        return config.revision();
    }
}
