package io.duet.proxy.edge;

import io.undertow.server.HttpServerExchange;

/**
 * Per-exchange limits a route may change after the edge let the request in.
 */
public final class EdgeLimits {

    private EdgeLimits() {
    }

    /**
     * Sets the largest request body this exchange may carry (a route's own limit, lower or higher than the
     * listener's). Call before the body is read, on the thread that handles the exchange.
     *
     * <p>When the request declared a Content-Length above the new limit, the edge answers 413 and closes the
     * connection at once; the caller must then stop handling the exchange (no response, no forwarding).
     *
     * @return true to go on; false when the exchange has been rejected with 413
     */
    public static boolean setMaxBody(HttpServerExchange exchange, long maxBytes) {
        BodyGuard guard = BodyGuard.of(exchange);
        if (guard == null) {
            return true; // no body, or not an edge exchange
        }
        guard.maxBytes(maxBytes);
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            EdgeHandler.rejectTooLarge(exchange, guard);
            return false;
        }
        return true;
    }

    /**
     * True when the edge has taken this exchange's connection over (it answered 400/408/413 on its own and drains
     * the client before closing). The caller must then leave the client connection alone: closing it now would
     * reset it and lose the edge's answer. Thread of the exchange.
     */
    public static boolean connectionTakenOver(HttpServerExchange exchange) {
        BodyGuard guard = BodyGuard.of(exchange);
        return guard != null && guard.headRejected();
    }

    /** The body limit in force for this exchange, or -1 when the exchange has no body guard. */
    public static long maxBody(HttpServerExchange exchange) {
        BodyGuard guard = BodyGuard.of(exchange);
        return guard == null ? -1 : guard.maxBytes();
    }
}
