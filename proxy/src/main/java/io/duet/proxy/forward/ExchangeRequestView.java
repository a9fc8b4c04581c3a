package io.duet.proxy.forward;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.edge.CanonicalPath;
import io.undertow.server.HttpServerExchange;

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
        return clientAddress(exchange);
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
        return uri(exchange);
    }

    @Override
    public String queryParameter(String name) {
        return queryParameter(exchange, name);
    }

    @Override
    public String cookie(String name) {
        return cookie(exchange, name);
    }

    // The same answers for other RequestView implementations over an exchange (the forwarder's own state).

    static InetAddress clientAddress(HttpServerExchange exchange) {
        InetSocketAddress a = exchange.getSourceAddress();
        return a == null ? null : a.getAddress();
    }

    static String uri(HttpServerExchange exchange) {
        String q = exchange.getQueryString();
        String path = CanonicalPath.canonicalPath(exchange);
        return q == null || q.isEmpty() ? path : path + "?" + q;
    }

    static String queryParameter(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }

    static String cookie(HttpServerExchange exchange, String name) {
        // Not Undertow's cookie map: it parses every cookie and fails a request with more than 200 of them.
        return io.duet.proxy.affinity.Cookies.requestValue(exchange.getRequestHeaders(), name);
    }
}
