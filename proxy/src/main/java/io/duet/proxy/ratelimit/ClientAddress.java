package io.duet.proxy.ratelimit;

import io.undertow.server.HttpServerExchange;

import java.net.InetAddress;

/**
 * The real client's address of a request, as forwarding knows it (after the PROXY protocol and a trusted proxy's
 * X-Forwarded-For); the runtime hands in forwarding's, so that limits and the headers Duet writes agree.
 * I/O thread; must not block.
 */
@FunctionalInterface
public interface ClientAddress {
    /** The address, or {@code null} when the connection has none. */
    InetAddress of(HttpServerExchange exchange);
}
