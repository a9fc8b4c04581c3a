package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.proxy.forward.ForwardEvents;
import io.duet.proxy.forward.ForwardingHeaders;
import io.duet.proxy.forward.PoolProxyClient;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.ConnectionPools;
import io.duet.proxy.routing.RouteCompiler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;

import java.util.HashMap;
import java.util.Map;

/**
 * Compiles a validated document into a {@link RuntimeSnapshot}. Runs on the reload thread, never on an I/O thread;
 * reuses the connection pools of servers that did not change.
 */
public final class SnapshotCompiler {
    private final ConnectionPools connectionPools;
    private final String nodeName;
    private final ForwardEvents events;

    public SnapshotCompiler(ConnectionPools connectionPools, String nodeName, ForwardEvents events) {
        this.connectionPools = connectionPools;
        this.nodeName = nodeName;
        this.events = events;
    }

    public RuntimeSnapshot compile(DuetConfig config) {
        Map<String, BackendPool> pools = new HashMap<>();
        for (Pool p : config.pools()) {
            pools.put(p.name(), connectionPools.build(p, config.limits().backendConnectTimeoutMs()));
        }
        ForwardingHeaders forwarding = new ForwardingHeaders(config.forwarding(), nodeName);
        ResponseCommitListener responseHeaders = forwarding::response;
        return new RuntimeSnapshot(config, RouteCompiler.compile(config.virtualHosts(),
                (vhost, route) -> routeHandler(config, route, pools, forwarding, responseHeaders)), pools);
    }

    private HttpHandler routeHandler(DuetConfig config, Route route, Map<String, BackendPool> pools,
                                     ForwardingHeaders forwarding, ResponseCommitListener responseHeaders) {
        if (route.pool() != null) {
            BackendPool pool = pools.get(route.pool());
            long responseTimeout = route.responseTimeoutMs() != null
                    ? route.responseTimeoutMs() : config.limits().backendResponseTimeoutMs();
            ProxyHandler proxy = ProxyHandler.builder()
                    .setProxyClient(new PoolProxyClient(pool, route.retries(), responseTimeout, events))
                    .setMaxRequestTime(0)
                    .setReuseXForwarded(true)
                    .setRewriteHostHeader(false)
                    .setMaxConnectionRetries(PoolProxyClient.MAX_RETRIES)
                    .setNext(ResponseCodeHandler.HANDLE_404)
                    .build();
            return new ForwardHandler(forwarding, responseHeaders, proxy);
        }
        throw new IllegalStateException("route '" + route.name() + "': redirect and fixed responses are not wired yet");
    }

    /** Runs the forwarding header rules, then Undertow's proxy. */
    private static final class ForwardHandler implements HttpHandler {
        private final ForwardingHeaders forwarding;
        private final ResponseCommitListener responseHeaders;
        private final HttpHandler proxy;

        ForwardHandler(ForwardingHeaders forwarding, ResponseCommitListener responseHeaders, HttpHandler proxy) {
            this.forwarding = forwarding;
            this.responseHeaders = responseHeaders;
            this.proxy = proxy;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            forwarding.request(exchange);
            exchange.addResponseCommitListener(responseHeaders);
            proxy.handleRequest(exchange);
        }
    }
}
