package io.duet.proxy.edge;

import io.undertow.server.HttpServerExchange;

/**
 * A listener's per-request admission check, run by the root handler ({@code io.duet.proxy.runtime.RootHandler})
 * after the request context is set (so a refused request is logged and counted like any other). The TLS listener uses it for the SNI/Host check (421) and
 * to add HSTS. I/O thread; must not block.
 */
@FunctionalInterface
public interface RequestGate {
    /** Admits every request (plain HTTP listeners). */
    RequestGate OPEN = exchange -> true;

    /**
     * @return true to route the request; false when this connection must not serve it (the caller answers 421,
     *         DUET-PROXY-0421). May add response headers or commit listeners.
     */
    boolean admit(HttpServerExchange exchange);
}
