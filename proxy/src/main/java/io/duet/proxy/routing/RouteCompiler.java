package io.duet.proxy.routing;

import io.duet.config.BodyMatch;
import io.duet.config.Route;
import io.duet.config.VirtualHost;
import io.duet.proxy.metrics.RouteMetrics;
import io.undertow.server.HttpHandler;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/** Compiles the virtual hosts of a document into a host table. Reload thread; never an I/O thread. */
public final class RouteCompiler {
    private RouteCompiler() {
    }

    /**
     * @param vhosts  validated virtual hosts
     * @param actions builds the handler running a route's actions (given its virtual host name and route)
     * @param metrics the metrics of a route, by virtual host and route name
     */
    public static HostTable<VirtualHostRoutes> compile(List<VirtualHost> vhosts,
                                                       BiFunction<String, Route, HttpHandler> actions,
                                                       BiFunction<String, String, RouteMetrics> metrics) {
        return compile(vhosts, actions, metrics, entries -> {
            throw new IllegalArgumentException("match.sources: no address lists given to the route compiler");
        }, vh -> VirtualHostRoutes.HostAnswers.NONE);
    }

    /**
     * @param sources the test of a route's {@code match.sources} (list names, blocks) on the real client's address
     * @param answers a host's error pages and maintenance answer
     */
    public static HostTable<VirtualHostRoutes> compile(List<VirtualHost> vhosts,
                                                       BiFunction<String, Route, HttpHandler> actions,
                                                       BiFunction<String, String, RouteMetrics> metrics,
                                                       Function<List<String>, Predicate<InetAddress>> sources,
                                                       Function<VirtualHost, VirtualHostRoutes.HostAnswers> answers) {
        HostTable.Builder<VirtualHostRoutes> table = HostTable.builder();
        for (VirtualHost vh : vhosts) {
            List<CompiledRoute> routes = new ArrayList<>(vh.routes().size());
            for (Route r : vh.routes()) {
                BodyMatch body = r.match().body();
                routes.add(new CompiledRoute(vh.name(), r.name(), Matchers.compile(r.match(), sources), Matchers.body(body),
                        body == null ? 0 : body.maxBytes(), actions.apply(vh.name(), r), r.pool(),
                        metrics.apply(vh.name(), r.name())));
            }
            VirtualHostRoutes.HostAnswers extra = answers.apply(vh);
            VirtualHostRoutes compiled = new VirtualHostRoutes(vh.name(), routes, vh.httpsRedirect().enabled()
                    ? new HttpsRedirector(vh.httpsRedirect(), vh.hostnames()) : null, extra.pages(),
                    extra.maintenance());
            for (String h : vh.hostnames()) {
                table.add(h, compiled);
            }
            if (vh.defaultHost()) {
                table.fallback(compiled);
            }
        }
        return table.build();
    }
}
