package io.duet.proxy.action;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;

/**
 * A backend that answers with what it received: {@code uri=} (raw request URI as received), {@code query=},
 * {@code path=} (decoded) and one {@code h:name=value} line per request header value, as UTF-8 text.
 */
final class EchoBackend implements HttpHandler {

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        StringBuilder b = new StringBuilder();
        b.append("uri=").append(exchange.getRequestURI()).append('\n');
        b.append("query=").append(exchange.getQueryString()).append('\n');
        b.append("path=").append(exchange.getRequestPath()).append('\n');
        exchange.getRequestHeaders().forEach(values -> values.forEach(
                v -> b.append("h:").append(values.getHeaderName().toString().toLowerCase()).append('=').append(v).append('\n')));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(b.toString(), StandardCharsets.UTF_8);
    }
}
