package io.duet.proxy.routing;

import io.undertow.server.HttpServerExchange;

/** One compiled condition of a route. I/O thread; must not block. */
@FunctionalInterface
interface RequestMatcher {
    boolean matches(HttpServerExchange exchange, String path);
}
