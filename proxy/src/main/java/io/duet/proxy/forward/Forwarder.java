package io.duet.proxy.forward;

import io.duet.proxy.affinity.RouteAffinity;
import io.duet.proxy.health.ServerOutcomes;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;

/**
 * The handler that forwards a route's requests to its pool with Duet's own HTTP/1.1 forwarder
 * ({@link ForwardState}): forwarding headers first, then one state machine per request. Immutable; I/O thread.
 *
 * @see ForwardState
 */
public final class Forwarder implements HttpHandler {
    private final BackendPool pool;
    private final int retries;
    private final long responseTimeoutMs;
    private final ForwardingHeaders forwarding;
    private final RouteAffinity affinity;
    private final ServerOutcomes outcomes;

    /**
     * @param retries           further attempts on other servers after a failed connect (idempotent requests only)
     * @param responseTimeoutMs time from the request being sent to the response head; 0 for none
     * @param affinity          the route's session affinity, or {@code null} when its pool has none
     * @param outcomes          where each request's outcome per server is reported (passive health)
     */
    public Forwarder(BackendPool pool, int retries, long responseTimeoutMs, ForwardingHeaders forwarding,
                     RouteAffinity affinity, ServerOutcomes outcomes) {
        this.pool = pool;
        this.retries = retries;
        this.responseTimeoutMs = responseTimeoutMs;
        this.forwarding = forwarding;
        this.affinity = affinity;
        this.outcomes = outcomes;
    }

    /** Where each request's outcome per server goes (passive health). */
    ServerOutcomes outcomes() {
        return outcomes;
    }

    /** The route's session affinity, or {@code null}. */
    RouteAffinity affinity() {
        return affinity;
    }

    BackendPool pool() {
        return pool;
    }

    int retries() {
        return retries;
    }

    long responseTimeoutMs() {
        return responseTimeoutMs;
    }

    ForwardingHeaders forwarding() {
        return forwarding;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // The edge allows Transfer-Encoding only as exactly "chunked"; ForwardingHeaders removes it (hop-by-hop).
        boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        RequestContext ctx = RequestContext.of(exchange);
        RequestContext.Client client = forwarding.request(exchange, ctx);
        ForwardState st = new ForwardState(this, exchange, chunked);
        st.client(client);
        ctx.forwarding(st);
        pool.metrics().requestStarted();
        exchange.addExchangeCompleteListener(st);
        exchange.dispatch(SameThreadExecutor.INSTANCE, st);
    }
}
