package io.duet.proxy.access;

import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A route's access rule in front of its actions: runs them for a client the rule lets through, answers the refusal
 * otherwise. I/O thread; never blocks. Immutable.
 */
public final class AccessHandler implements HttpHandler {
    private final AccessPolicy policy;
    private final HttpHandler next;

    private AccessHandler(AccessPolicy policy, HttpHandler next) {
        this.policy = policy;
        this.next = next;
    }

    /** {@code next} behind {@code policy}; {@code next} itself when there is no rule. */
    public static HttpHandler wrap(AccessPolicy policy, HttpHandler next) {
        return policy == null ? next : new AccessHandler(policy, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (policy.admit(exchange, client(exchange))) {
            next.handleRequest(exchange);
        }
    }

    /**
     * The real client's address the root handler put in the request's context; the connection's peer when it did
     * not (no root handler ran). I/O thread.
     */
    public static InetAddress client(HttpServerExchange exchange) {
        RequestContext ctx = RequestContext.peek(exchange);
        InetAddress a = ctx == null ? null : ctx.realClient();
        if (a != null) {
            return a;
        }
        InetSocketAddress s = exchange.getSourceAddress();
        return s == null ? null : s.getAddress();
    }
}
