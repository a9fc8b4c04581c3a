package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Mode {@code learn}: follows an application cookie (JSESSIONID by default) to the server that set it.
 *
 * <p>A value ending in {@code .route}, where the route is a server id or a configured {@code jvmRoutes} name, goes
 * to that server with no table (every node of a pair reads the same answer from the value). Any other value is
 * learned from the server's {@code Set-Cookie} into a bounded table; a deleting {@code Set-Cookie} forgets it. Values
 * of the suffix form are put into the table too, but only to count sticky clients: routing reads the suffix first.
 */
final class LearnedCookie implements Stickiness {
    private final String name;
    private final boolean jvmRoute;
    private final Map<String, String> routes;
    private final Set<String> serverIds;
    private final StickyTable table;

    LearnedCookie(Affinity.Learn spec, Set<String> serverIds, StickyTable table) {
        this.name = spec.name();
        this.jvmRoute = spec.jvmRoute();
        Map<String, String> r = new HashMap<>();
        for (Affinity.JvmRoute jr : spec.jvmRoutes()) {
            r.put(jr.route(), jr.server());
        }
        this.routes = Map.copyOf(r);
        this.serverIds = Set.copyOf(serverIds);
        this.table = table;
    }

    /** The server id the value's route suffix names, or {@code null}. */
    private String routeOf(String value) {
        if (!jvmRoute) {
            return null;
        }
        int dot = value.lastIndexOf('.');
        if (dot < 0 || dot == value.length() - 1) {
            return null;
        }
        String route = value.substring(dot + 1);
        String id = routes.getOrDefault(route, route);
        return serverIds.contains(id) ? id : null;
    }

    @Override
    public void read(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        String value = Cookies.requestValue(exchange.getRequestHeaders(), name);
        if (value == null || value.isEmpty()) {
            return;
        }
        r.key = value;
        String routed = routeOf(value);
        r.boundId = routed != null ? routed : table.lookup(value, nowMs);
    }

    @Override
    public void write(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        String server = r.served.id();
        HeaderValues setCookies = exchange.getResponseHeaders().get(Headers.SET_COOKIE);
        if (setCookies != null) {
            for (int i = 0; i < setCookies.size(); i++) {
                String value = Cookies.setValue(setCookies.get(i), name);
                if (value == null) {
                    continue;
                }
                if (value.isEmpty()) {
                    if (r.key != null) {
                        table.remove(r.key); // the application ended the session
                    }
                } else {
                    table.bind(value, server, nowMs);
                }
                return;
            }
        }
        if (r.key != null) {
            // The same session, still on its server or moved to this one (redispatch): keep or move the binding.
            table.bind(r.key, server, nowMs);
        }
    }

    @Override
    public Map<String, Integer> stickyClients(long nowMs) {
        return table.countByServer(nowMs);
    }
}
