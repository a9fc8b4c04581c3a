package io.duet.proxy.routing;

import java.util.List;

/**
 * The routes of one virtual host, in document order.
 *
 * @param name   virtual host name
 * @param routes first match wins
 */
public record VirtualHostRoutes(String name, List<CompiledRoute> routes) {
    public VirtualHostRoutes {
        routes = List.copyOf(routes);
    }
}
