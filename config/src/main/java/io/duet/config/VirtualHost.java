package io.duet.config;

import java.util.List;

/**
 * A virtual host: the routes that serve a set of host names.
 *
 * <p>Host lookup order: an exact name, then the longest matching wildcard ({@code *.example.com} matches
 * {@code a.example.com} and {@code a.b.example.com}, not {@code example.com}), then the host marked
 * {@code default}. A request no host accepts gets 404 ({@code DUET-PROXY-0404}).
 *
 * @param name        unique name
 * @param hostnames   exact names and {@code *.}-wildcards, compared case-insensitively, without port
 * @param defaultHost at most one host is the default
 * @param routes      tried in order; the first whose every condition matches wins
 * @param httpsRedirect plain-HTTP requests for this host are redirected to HTTPS instead of routed (default off)
 * @param errorPages  bodies of Duet's own answers on this host, by status
 * @param maintenance the host's maintenance switch
 */
public record VirtualHost(String name, List<String> hostnames, Boolean defaultHost, List<Route> routes,
                          HttpsRedirect httpsRedirect, List<ErrorPage> errorPages, Maintenance maintenance) {
    public VirtualHost {
        errorPages = Lists.copy(errorPages);
        hostnames = Lists.copy(hostnames);
        defaultHost = defaultHost != null && defaultHost;
        routes = Lists.copy(routes);
        httpsRedirect = httpsRedirect == null ? HttpsRedirect.disabled() : httpsRedirect;
    }

    public VirtualHost(String name, List<String> hostnames, Boolean defaultHost, List<Route> routes) {
        this(name, hostnames, defaultHost, routes, null);
    }

    public VirtualHost(String name, List<String> hostnames, Boolean defaultHost, List<Route> routes,
                       HttpsRedirect httpsRedirect) {
        this(name, hostnames, defaultHost, routes, httpsRedirect, null, null);
    }
}
