package io.duet.appliance;

import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.VirtualHost;
import io.duet.config.store.ConfigStore;
import io.duet.testkit.http.RawHttp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pool pages' browser tests need of the proxy beside the UI: the default host routed to a pool (the Routes
 * page belongs to other tests), requests counted by the backend that answered, a pool put in place directly.
 */
final class PoolTraffic {
    private PoolTraffic() {
    }

    /** Commits the first (default) virtual host with one route, {@code all}, forwarding everything to {@code pool}. */
    static void routeDefaultHostTo(AdminUiBrowser ui, String pool) throws Exception {
        ConfigStore store = ui.node().store();
        DuetConfig cur = store.current();
        VirtualHost host = cur.virtualHosts().get(0);
        VirtualHost routed = new VirtualHost(host.name(), host.hostnames(), host.defaultHost(),
                List.of(Route.forward("all", RouteMatch.any(), pool)), host.httpsRedirect());
        store.propose(new DuetConfig(cur.revision(), cur.listeners(), cur.limits(), cur.forwarding(), cur.accessLog(),
                List.of(routed), cur.pools(), cur.certificates(), cur.vips(), cur.admin(), cur.failover()),
                cur.revision(), "test", "route everything to " + pool);
    }

    /** Commits the document with {@code pool} added. */
    static void addPool(AdminUiBrowser ui, Pool pool) throws Exception {
        ConfigStore store = ui.node().store();
        DuetConfig cur = store.current();
        List<Pool> pools = new java.util.ArrayList<>(cur.pools());
        pools.add(pool);
        store.propose(cur.withPools(pools), cur.revision(), "test", "pool " + pool.name());
    }

    /** How many of {@code n} requests to {@code http://localhost/} each backend answered (by the body it stamps). */
    static Map<String, Integer> spread(AdminUiBrowser ui, int n) throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            seen.merge(ui.proxied(), 1, Integer::sum);
        }
        return seen;
    }

    /** The body of one request to {@code http://localhost/} with header {@code name: value}. */
    static String withHeader(AdminUiBrowser ui, String name, String value) {
        try (RawHttp c = RawHttp.connect(ui.node().listenerAddress(EmbeddedDocuments.LISTENER))) {
            c.send("GET / HTTP/1.1\r\nHost: localhost\r\n" + name + ": " + value + "\r\nConnection: close\r\n\r\n");
            return c.readResponse().body();
        }
    }
}
