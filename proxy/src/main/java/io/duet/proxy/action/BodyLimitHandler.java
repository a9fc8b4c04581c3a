package io.duet.proxy.action;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * A route's request body limit. A request whose Content-Length exceeds the limit gets 413
 * ({@link ErrorId#BODY_TOO_LARGE}) at once, without its body being read, and the connection is closed after the
 * answer (the unread body cannot be skipped safely). Otherwise the exchange's max entity size is set to the limit,
 * so a chunked body that grows past it fails while it is read (Undertow then ends the exchange; no 413 can be sent
 * once the request is being forwarded).
 *
 * <p>Must run before anything obtains the request channel. A malformed Content-Length is the edge's business
 * (400 before routing); here it is left to Undertow. Threads: I/O thread; never blocks. Immutable.
 */
public final class BodyLimitHandler implements HttpHandler {

    private final long limit;
    private final HttpHandler next;

    public BodyLimitHandler(long maxBodyBytes, HttpHandler next) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: 0 or more)");
        }
        this.limit = maxBodyBytes;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (length != null && exceeds(length)) {
            ErrorResponses.send(exchange, ErrorId.BODY_TOO_LARGE, true);
            return;
        }
        exchange.setMaxEntitySize(limit);
        next.handleRequest(exchange);
    }

    private boolean exceeds(String contentLength) {
        String s = contentLength.trim();
        if (s.isEmpty() || s.length() > 18) {
            return !s.isEmpty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(s) > limit;
    }
}
