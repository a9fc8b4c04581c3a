package io.duet.proxy.health;

import io.duet.config.Fallback;
import io.duet.proxy.action.FixedResponseHandler;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.function.Function;

/**
 * Sends a request to its pool's fallback (another pool, or a fixed maintenance response) when no server of the pool
 * is available, before any balancing; otherwise to the pool. Without a fallback the pool's own path answers 503
 * (or, in panic, tries every server).
 *
 * <p>I/O thread; never blocks: one volatile read per server until the first available one.
 */
public final class PoolFallback implements HttpHandler {
    private final BackendServer[] servers;
    private final HttpHandler primary;
    private final HttpHandler fallback;
    private final BackendPool pool;

    private PoolFallback(BackendPool pool, HttpHandler primary, HttpHandler fallback) {
        this.pool = pool;
        this.servers = pool.servers().toArray(BackendServer[]::new);
        this.primary = primary;
        this.fallback = fallback;
    }

    /**
     * {@code primary} guarded by the pool's fallback, or {@code primary} itself when the pool has none.
     *
     * @param forwarderTo builds the forwarding handler of the fallback pool, by name
     */
    public static HttpHandler wrap(BackendPool pool, Fallback spec, HttpHandler primary,
                                   Function<String, HttpHandler> forwarderTo) {
        if (spec == null) {
            return primary;
        }
        HttpHandler fb = spec.pool() != null ? forwarderTo.apply(spec.pool()) : new FixedResponseHandler(spec.respond());
        return new PoolFallback(pool, primary, fb);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        for (BackendServer s : servers) {
            if (s.state().available()) {
                primary.handleRequest(exchange);
                return;
            }
        }
        pool.metrics().fallbacks().inc();
        fallback.handleRequest(exchange);
    }
}
