package io.duet.proxy.forward;

import io.duet.proxy.balance.RequestView;
import io.duet.proxy.edge.CanonicalPath;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Deque;

/**
 * An Undertow exchange as balancers see it. Every value is read from the exchange when asked: nothing is parsed
 * up front (Undertow parses cookies on first access). The exchange's I/O thread only; must not outlive the pick.
 */
public final class ExchangeRequestView implements RequestView {
    private final HttpServerExchange exchange;

    public ExchangeRequestView(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public InetAddress clientAddress() {
        InetSocketAddress a = exchange.getSourceAddress();
        return a == null ? null : a.getAddress();
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String path() {
        return CanonicalPath.canonicalPath(exchange);
    }

    @Override
    public String uri() {
        String q = exchange.getQueryString();
        return q == null || q.isEmpty() ? path() : path() + "?" + q;
    }

    @Override
    public String queryParameter(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    @Override
    public String cookie(String name) {
        Cookie c = exchange.getRequestCookie(name);
        return c == null ? null : c.getValue();
    }
}
