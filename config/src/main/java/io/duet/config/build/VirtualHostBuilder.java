package io.duet.config.build;

import io.duet.config.HttpsRedirect;
import io.duet.config.Route;
import io.duet.config.VirtualHost;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link VirtualHost}; routes are kept in the order they are added (the order they are tried in). */
public final class VirtualHostBuilder {
    private final String name;
    private final List<String> hostnames = new ArrayList<>();
    private Boolean defaultHost;
    private final List<Route> routes = new ArrayList<>();
    private HttpsRedirect httpsRedirect;
    private final List<io.duet.config.ErrorPage> errorPages = new ArrayList<>();
    private io.duet.config.Maintenance maintenance;

    VirtualHostBuilder(String name) {
        this.name = name;
    }

    public VirtualHostBuilder hostname(String hostname) {
        hostnames.add(hostname);
        return this;
    }

    public VirtualHostBuilder hostnames(List<String> more) {
        hostnames.addAll(more);
        return this;
    }

    /** This host answers requests whose Host no other host claims. */
    public VirtualHostBuilder defaultHost() {
        this.defaultHost = true;
        return this;
    }

    public VirtualHostBuilder route(Route route) {
        routes.add(route);
        return this;
    }

    public VirtualHostBuilder route(RouteBuilder route) {
        return route(route.build());
    }

    public VirtualHostBuilder httpsRedirect(HttpsRedirect value) {
        this.httpsRedirect = value;
        return this;
    }

    /** The body of one of Duet's own answers on this host. */
    public VirtualHostBuilder errorPage(io.duet.config.ErrorPage page) {
        errorPages.add(page);
        return this;
    }

    public VirtualHostBuilder maintenance(io.duet.config.Maintenance value) {
        this.maintenance = value;
        return this;
    }

    public VirtualHost build() {
        return new VirtualHost(name, hostnames, defaultHost, routes, httpsRedirect, errorPages, maintenance);
    }
}
