package io.duet.proxy.action;

import io.duet.config.Route;
import io.undertow.server.HttpHandler;

/**
 * Compiles a route's actions into one Undertow handler chain, once per configuration snapshot. See
 * {@link io.duet.proxy.action the package description} for the order the actions run in.
 *
 * <p>Threads: {@link #compile} runs off the I/O threads while a snapshot is built; the handler it returns is
 * immutable and runs on I/O threads without blocking.
 */
public final class RouteActions {

    private RouteActions() {
    }

    /**
     * The handler that runs {@code route}'s actions.
     *
     * @param route   a valid route (exactly one of pool, redirect, respond)
     * @param forward the handler that forwards to the route's pool (the Forwarder);
     *                used only when the route has a pool; may be null otherwise
     * @throws IllegalArgumentException when a part of the route cannot be compiled; the message names the field
     */
    public static HttpHandler compile(Route route, HttpHandler forward) {
        HttpHandler maintenance = MaintenanceHandler.of(route.maintenance());
        if (maintenance != null) {
            // The route's maintenance switch is on: 503 and its page instead of its actions; its response header
            // rules still apply, as to every error response.
            return route.responseHeaders().isEmpty() ? maintenance
                    : new ResponseHeaderRulesHandler(route.responseHeaders(), maintenance);
        }
        HttpHandler handler;
        if (route.redirect() != null) {
            handler = new RedirectHandler(route.redirect());
        } else if (route.respond() != null) {
            handler = new FixedResponseHandler(route.respond());
        } else {
            if (forward == null) {
                throw new IllegalArgumentException("route '" + route.name() + "': no forwarding handler for pool '"
                        + route.pool() + "'");
            }
            handler = forward;
        }
        // Added after the response header rules' listener, so it sees the response first (see CompressionHandler).
        if (route.compression() != null && route.compression().enabled()) {
            handler = new CompressionHandler(route.compression(), handler);
        }
        if (route.maxBodyBytes() != null) {
            handler = new BodyLimitHandler(route.maxBodyBytes(), handler);
        }
        if (route.rewrite() != null && route.redirect() == null && route.respond() == null) {
            handler = new RewriteHandler(route.rewrite(), handler);
        }
        if (!route.requestHeaders().isEmpty()) {
            handler = new RequestHeaderRulesHandler(route.requestHeaders(), handler);
        }
        if (!route.responseHeaders().isEmpty()) {
            handler = new ResponseHeaderRulesHandler(route.responseHeaders(), handler);
        }
        return handler;
    }
}
