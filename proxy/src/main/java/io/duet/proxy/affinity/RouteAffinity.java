package io.duet.proxy.affinity;

import io.duet.config.Route;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;

/**
 * Affinity as one route forwarding to a pool sees it: the pool's affinity plus the route's choice for a client whose
 * server is down or no longer takes its sticky clients ({@code stickyServerDown}). Immutable; one per route and
 * snapshot.
 *
 * <p>The forwarder calls {@link #bind} once, then {@link #decide} where it would call the balancer, on every attempt
 * (retries included), and acts on the {@link AffinityDecision}: affinity never answers the client itself.
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
     * The request's binding, made on the first call: reads the client's binding (cookie, table) and arranges for the
     * response to bind the client when a server answered. The forwarder keeps it for the request's later attempts.
     * I/O thread; never blocks or locks (table reads are ConcurrentHashMap reads).
     *
     * @param outcome how forwarding ended, read when the response commits
     */
    public StickyBinding bind(HttpServerExchange exchange, ForwardOutcome outcome) {
        RequestContext ctx = RequestContext.of(exchange);
        StickyBinding r = (StickyBinding) ctx.binding();
        if (r == null) {
            r = new StickyBinding(outcome);
            ctx.binding(r);
            affinity.stickiness().read(exchange, r, System.currentTimeMillis());
            exchange.addResponseCommitListener(affinity.onCommit);
        }
        return r;
    }

    /**
     * The decision for this attempt (retries included): the client's sticky server when it exists, accepts sticky
     * clients ({@link io.duet.proxy.pool.ServerState#acceptsSticky()}, so a draining server keeps them) and was not
     * tried by an earlier attempt; a refusal when it does not and the route says {@code stickyServerDown: fail};
     * otherwise the balancer's pick among the rest. The forwarder then records the server it uses with
     * {@link StickyBinding#serving}. I/O thread; never blocks, allocates nothing.
     *
     * @param excluded the forwarder's mask of servers already tried (see {@link LoadBalancer#pick})
     */
    public AffinityDecision decide(StickyBinding r, long excluded) {
        BackendServer bound = r.boundId == null ? null : affinity.server(r.boundId);
        r.bound = bound;
        if (bound == null) {
            return AffinityDecision.BALANCE;
        }
        if (bound.state().acceptsSticky() && !LoadBalancer.isExcluded(bound, excluded)) {
            return AffinityDecision.USE_BOUND;
        }
        if (failWhenDown) {
            r.refused = true;
            r.served = null;
            return AffinityDecision.REFUSE;
        }
        return AffinityDecision.BALANCE;
    }

    /**
     * The mask the balancer picks with after {@link AffinityDecision#BALANCE}: {@code excluded} plus the bound server,
     * so the balancer does not hand the client back to the server it left.
     */
    public long balanceMask(StickyBinding r, long excluded) {
        BackendServer bound = r.bound;
        return bound != null && bound.index() < 64 ? excluded | 1L << bound.index() : excluded;
    }

    /** Why the request is refused after {@link AffinityDecision#REFUSE}: the message of its 503. */
    public String refusal(StickyBinding r) {
        return "pool '" + affinity.pool().name() + "': server '" + r.bound.id() + "', which this client is "
                + "bound to, is not available, and this route does not move bound clients; retry later";
    }
}
