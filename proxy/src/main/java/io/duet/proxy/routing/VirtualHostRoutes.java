package io.duet.proxy.routing;

import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpHandler;

import java.util.List;

/**
 * The routes of one virtual host, in document order.
 *
 * @param name   virtual host name
 * @param routes first match wins
 * @param httpsRedirect plain-HTTP requests are redirected to HTTPS by it; null when the host has no redirect
 * @param pages  the host's error pages (response's), put on the request's context once the host is found; null: none
 * @param maintenance answers every request of the host while its maintenance switch is on; null: off
 */
public record VirtualHostRoutes(String name, List<CompiledRoute> routes, HttpsRedirector httpsRedirect,
                                RequestContext.Pages pages, HttpHandler maintenance) {
    public VirtualHostRoutes {
        routes = List.copyOf(routes);
    }

    public VirtualHostRoutes(String name, List<CompiledRoute> routes, HttpsRedirector httpsRedirect) {
        this(name, routes, httpsRedirect, null, null);
    }

    public VirtualHostRoutes(String name, List<CompiledRoute> routes) {
        this(name, routes, null);
    }

    /** What a host answers besides its routes: its error pages and its maintenance answer (each may be null). */
    public record HostAnswers(RequestContext.Pages pages, HttpHandler maintenance) {
        public static final HostAnswers NONE = new HostAnswers(null, null);
    }
}
