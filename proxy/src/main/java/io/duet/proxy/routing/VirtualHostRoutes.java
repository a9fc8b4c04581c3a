package io.duet.proxy.routing;

import java.util.List;

/**
 * The routes of one virtual host, in document order.
 *
 * @param name   virtual host name
 * @param routes first match wins
 * @param httpsRedirect plain-HTTP requests are redirected to HTTPS by it; null when the host has no redirect
 */
public record VirtualHostRoutes(String name, List<CompiledRoute> routes, HttpsRedirector httpsRedirect) {
    public VirtualHostRoutes {
        routes = List.copyOf(routes);
    }

    public VirtualHostRoutes(String name, List<CompiledRoute> routes) {
        this(name, routes, null);
    }
}
