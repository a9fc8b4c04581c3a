package io.duet.proxy.affinity;

import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;

/**
 * What affinity found and decided for one exchange: the server the client is bound to and the server each attempt
 * went to. Made by {@link RouteAffinity#bind} on the first attempt (kept in the request's context, read again when
 * the response commits); touched only by the exchange's I/O thread.
 */
public final class StickyBinding implements RequestContext.Binding {

    /** The server id the request is bound to (cookie, table), or {@code null}. */
    String boundId;
    /** The table key of this client (address, header value, session id), or {@code null}. */
    String key;
    /** The valid insert cookie the request carried, or {@code null}. */
    CookieStamp stamp;
    /** The bound server as the last {@link RouteAffinity#decide} found it in the pool, or {@code null}. */
    BackendServer bound;
    /** The server of the last attempt. */
    BackendServer served;
    /** The route refused the request (stickyServerDown: fail); the forwarder answered it. */
    boolean refused;
    /** How forwarding ended, read when the response commits. */
    final ForwardOutcome outcome;

    StickyBinding(ForwardOutcome outcome) {
        this.outcome = outcome;
    }

    /** The binding affinity put in the request's context, or {@code null}. */
    static StickyBinding of(HttpServerExchange exchange) {
        RequestContext ctx = RequestContext.peek(exchange);
        return ctx == null ? null : (StickyBinding) ctx.binding();
    }

    /** The server the client is bound to, when the last decision was {@link AffinityDecision#USE_BOUND}. */
    public BackendServer bound() {
        return bound;
    }

    /** Records the server this attempt goes to ({@code null}: none); the response binds the client to it. */
    public void serving(BackendServer server) {
        this.served = server;
    }
}
