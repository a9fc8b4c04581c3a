package io.duet.proxy.access;

import io.duet.config.AccessRule;
import io.duet.config.Redirect;
import io.duet.proxy.action.RedirectHandler;
import io.duet.proxy.metrics.AccessMetrics;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.net.InetAddress;

/**
 * One access rule compiled for a snapshot: who is let through, and what a refused client gets. A client in
 * {@code deny} is refused, even when {@code allow} holds it too (deny wins); when {@code allow} is not empty, a
 * client outside it is refused. A request without a client address (a test channel) is in no list.
 *
 * <p>Immutable; {@link #admit} runs on I/O threads, never blocks, allocates nothing when it lets a client through.
 */
public final class AccessPolicy {
    private final AddressSet allow; // null: everyone
    private final AddressSet deny;
    private final String action;
    private final int status;
    private final long tarpitMs;
    private final HttpHandler redirect; // null unless action is redirect
    private final String errorId;
    private final String message;
    private final AccessMetrics metrics;
    private final Tarpit tarpit;

    AccessPolicy(AccessRule rule, AddressSet allow, AddressSet deny, AccessMetrics metrics, Tarpit tarpit) {
        this.allow = rule.allow().isEmpty() ? null : allow;
        this.deny = deny;
        this.action = rule.action();
        this.status = rule.status();
        this.tarpitMs = rule.tarpitMs() == null ? 0 : rule.tarpitMs();
        this.redirect = AccessRule.REDIRECT.equals(action)
                ? new RedirectHandler(new Redirect(rule.status(), rule.location())) : null;
        this.errorId = ErrorId.idFor(status);
        this.message = status == ErrorId.FORBIDDEN.status() ? ErrorId.FORBIDDEN.message()
                : "access from your address is not allowed here";
        this.metrics = metrics;
        this.tarpit = tarpit;
    }

    /** True when the rule lets {@code client} through. Any thread. */
    public boolean allows(InetAddress client) {
        return !deny.contains(client) && (allow == null || allow.contains(client));
    }

    /**
     * Lets the client through (true, counted as allowed) or answers the refusal (false: the caller stops; the
     * exchange is answered now, or later for a tarpit). I/O thread; never blocks.
     */
    public boolean admit(HttpServerExchange exchange, InetAddress client) throws Exception {
        if (allows(client)) {
            metrics.allowed();
            return true;
        }
        if (redirect != null) {
            metrics.denied();
            redirect.handleRequest(exchange);
        } else if (tarpitMs > 0 && tarpit.hold(exchange, tarpitMs, () -> deny(exchange))) {
            metrics.tarpitted();
        } else {
            metrics.denied();
            deny(exchange);
        }
        return false;
    }

    private void deny(HttpServerExchange exchange) {
        ErrorResponses.send(exchange, status, errorId, message);
    }

    /** The rule's metrics. */
    public AccessMetrics metrics() {
        return metrics;
    }
}
