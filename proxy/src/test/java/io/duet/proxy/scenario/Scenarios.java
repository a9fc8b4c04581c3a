package io.duet.proxy.scenario;

import io.duet.config.AccessLog;
import io.duet.config.DuetConfig;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Configuration documents for the scenarios: one listener "http" on port 0, one default virtual host "v". */
final class Scenarios {
    static final String HOST = "x.test";

    private Scenarios() {
    }

    static DuetConfig config(Limits limits, AccessLog accessLog, List<Route> routes, Pool... pools) {
        return new DuetConfig(1L, List.of(new Listener("http", "127.0.0.1", 0)), limits, null,
                accessLog == null ? new AccessLog(false, null, null) : accessLog,
                List.of(new VirtualHost("v", List.of(HOST), true, routes)), List.of(pools));
    }

    /** Everything to pool {@code p} with the route's defaults. */
    static DuetConfig simple(Pool pool) {
        return config(null, null, List.of(Route.forward("all", RouteMatch.any(), pool.name())), pool);
    }

    static Route route(String name, RouteMatch match, String pool, Long maxBodyBytes, Long responseTimeoutMs,
                       Integer retries) {
        return new Route(name, match, pool, null, null, null, null, null, null, maxBodyBytes, responseTimeoutMs,
                retries);
    }

    static Pool pool(String name, Server... servers) {
        return new Pool(name, Pool.ROUND_ROBIN, List.of(servers));
    }

    static Server server(String id, int port) {
        return new Server(id, "127.0.0.1", port, null, null);
    }

    /** A port nothing listens on (bound, then closed: connections are refused). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** A minimal GET on the scenario host. */
    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
    }
}
