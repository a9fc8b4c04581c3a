package io.duet.proxy.action;

import io.duet.config.FixedResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers with a fixed status, content type and body. The body is encoded to UTF-8 once; each request sends a
 * duplicate of the same buffer (nothing writes into it).
 *
 * <p>Threads: I/O thread; never blocks. Immutable; one instance serves every request of a route.
 */
public final class FixedResponseHandler implements HttpHandler {

    private final int status;
    private final String contentType;
    private final ByteBuffer body;
    private final String contentLength;

    public FixedResponseHandler(FixedResponse respond) {
        if (respond.status() < 200 || respond.status() > 599) {
            throw new IllegalArgumentException("respond.status: " + respond.status() + " (expected: 200-599)");
        }
        this.status = respond.status();
        this.contentType = respond.contentType();
        byte[] bytes = respond.body().getBytes(StandardCharsets.UTF_8);
        this.body = ByteBuffer.wrap(bytes);
        this.contentLength = Integer.toString(bytes.length);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        var headers = exchange.getResponseHeaders();
        boolean bodyAllowed = status != 204 && status != 304;
        if (bodyAllowed && body.hasRemaining()) {
            headers.put(Headers.CONTENT_TYPE, contentType);
        }
        if (!bodyAllowed) {
            exchange.endExchange();
            return;
        }
        headers.put(Headers.CONTENT_LENGTH, contentLength);
        if (body.hasRemaining()) {
            exchange.getResponseSender().send(body.duplicate());
        } else {
            exchange.endExchange();
        }
    }
}
