package io.duet.proxy.action;

import io.duet.config.HeaderRule;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;

import java.util.List;

/**
 * Applies a route's response header rules to whatever response the exchange ends with (the backend's, as copied
 * by Duet's forwarder, a redirect, a fixed response or an error page), just before the response headers
 * are written. Uses {@link HttpServerExchange#addResponseCommitListener}, which fires when the response channel is
 * created; wrappers added later (compression) see the response first, so these rules have the last word.
 *
 * <p>Threads: the listener runs on whichever thread starts the response; never blocks. Immutable: one listener
 * instance serves every exchange.
 */
public final class ResponseHeaderRulesHandler implements HttpHandler {

    private final ResponseCommitListener listener;
    private final HttpHandler next;

    public ResponseHeaderRulesHandler(List<HeaderRule> rules, HttpHandler next) {
        HeaderRules compiled = new HeaderRules(rules, "responseHeaders");
        this.listener = exchange -> compiled.apply(exchange.getResponseHeaders());
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(listener);
        next.handleRequest(exchange);
    }
}
