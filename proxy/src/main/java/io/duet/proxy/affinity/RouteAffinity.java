package io.duet.proxy.affinity;

import io.duet.config.Route;
import io.duet.proxy.action.ErrorId;
import io.duet.proxy.action.ErrorResponses;
import io.duet.proxy.balance.LoadBalancer;
import io.duet.proxy.balance.RequestView;
import io.duet.proxy.pool.BackendServer;
import io.undertow.server.HttpServerExchange;

/**
 * Affinity as one route forwarding to a pool sees it: the pool's affinity plus the route's choice for a client whose
 * server is down or no longer takes its sticky clients ({@code stickyServerDown}). Immutable; one per route and
 * snapshot.
 *
 * <p>The forwarder calls {@link #pick} where it would call the balancer, on every attempt (retries included).
 */
public final class RouteAffinity {
    private final PoolAffinity affinity;
    private final boolean failWhenDown;

    RouteAffinity(PoolAffinity affinity, boolean failWhenDown) {
        this.affinity = affinity;
        this.failWhenDown = failWhenDown;
    }

    /** The route's affinity, or {@code null} when its pool has none. Reload thread. */
    public static RouteAffinity of(Route route, PoolAffinity pool) {
        return pool == null ? null : new RouteAffinity(pool, Route.FAIL.equals(route.stickyServerDown()));
    }

    /**
     * The server for this attempt: the client's sticky server when it exists, accepts sticky clients
     * ({@link io.duet.proxy.pool.ServerState#acceptsSticky()}, so a draining server keeps them) and was not tried by
     * an earlier attempt; otherwise the balancer's pick among the rest. {@code null} when there is none, or when the
     * route says {@code stickyServerDown: fail}: then this method has already answered 503 and
     * {@link #answered} is true. The first call also arranges for the response to bind the client (cookie, table).
     *
     * <p>I/O thread; never blocks or locks (table reads are ConcurrentHashMap reads).
     *
     * @param excluded the forwarder's mask of servers already tried (see {@link LoadBalancer#pick})
     */
    public BackendServer pick(HttpServerExchange exchange, RequestView view, long excluded) {
        StickyRequest r = exchange.getAttachment(StickyRequest.KEY);
        if (r == null) {
            r = new StickyRequest();
            exchange.putAttachment(StickyRequest.KEY, r);
            affinity.stickiness().read(exchange, r, System.currentTimeMillis());
            exchange.addResponseCommitListener(affinity.onCommit);
        }
        BackendServer bound = r.boundId == null ? null : affinity.server(r.boundId);
        long mask = excluded;
        if (bound != null) {
            if (bound.state().acceptsSticky() && !LoadBalancer.isExcluded(bound, excluded)) {
                r.served = bound;
                return bound;
            }
            if (failWhenDown) {
                r.refused = true;
                r.served = null;
                ErrorResponses.send(exchange, ErrorId.NO_SERVER.status(), ErrorId.NO_SERVER.id(),
                        "pool '" + affinity.pool().name() + "': server '" + bound.id() + "', which this client is "
                                + "bound to, is not available, and this route does not move bound clients; retry later");
                return null;
            }
            if (bound.index() < 64) {
                mask |= 1L << bound.index(); // the balancer must not hand the client back to the server it left
            }
        }
        BackendServer picked = affinity.pool().balancer().pick(view, mask);
        r.served = picked;
        return picked;
    }

    /** True when {@link #pick} refused the request and answered it itself. I/O thread. */
    public boolean answered(HttpServerExchange exchange) {
        StickyRequest r = exchange.getAttachment(StickyRequest.KEY);
        return r != null && r.refused;
    }
}
