package io.duet.proxy.action;

import io.duet.config.HeaderRule;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * Applies a route's request header rules, in order, then calls the next handler (so the forwarded request
 * carries them).
 *
 * <p>Threads: I/O thread; never blocks. Immutable.
 */
public final class RequestHeaderRulesHandler implements HttpHandler {

    private final HeaderRules rules;
    private final HttpHandler next;

    public RequestHeaderRulesHandler(List<HeaderRule> rules, HttpHandler next) {
        this.rules = new HeaderRules(rules, "requestHeaders");
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        rules.apply(exchange.getRequestHeaders());
        next.handleRequest(exchange);
    }
}
