package io.duet.proxy.affinity;

import io.undertow.server.HttpServerExchange;

import java.util.Map;

/** One affinity mode: how a request names its server and how a response binds it. One final class per mode. */
interface Stickiness {

    /** Reads the request's binding into {@code r} (its bound server id and table key). I/O thread; never blocks. */
    void read(HttpServerExchange exchange, StickyBinding r, long nowMs);

    /**
     * Records that {@code r.served} answered this request: binds the client, sets or refreshes a cookie. Called when
     * the response commits, only when a backend answered. I/O thread; never blocks.
     */
    void write(HttpServerExchange exchange, StickyBinding r, long nowMs);

    /** Sticky clients per server id, as far as this mode can tell. Walks a table: admin threads only. */
    Map<String, Integer> stickyClients(long nowMs);
}
