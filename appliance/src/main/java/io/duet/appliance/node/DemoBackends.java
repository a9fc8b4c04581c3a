package io.duet.appliance.node;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The two backends of {@code duet run --demo}: plain Undertow servers on 127.0.0.1, on ports the OS picks. Each
 * answers every request with {@code hello from demo backend b1} (or b2), an {@code X-Backend} header naming it, and
 * the request line and headers it received, so a user sees what the proxy forwards (X-Forwarded-For, ...).
 */
public final class DemoBackends implements AutoCloseable {
    private static final HttpString X_BACKEND = new HttpString("X-Backend");

    private final Undertow b1;
    private final Undertow b2;

    private DemoBackends(Undertow b1, Undertow b2) {
        this.b1 = b1;
        this.b2 = b2;
    }

    /** Starts both; blocks until they are bound. */
    public static DemoBackends start() {
        Undertow b1 = server("b1");
        try {
            return new DemoBackends(b1, server("b2"));
        } catch (RuntimeException e) {
            b1.stop();
            throw e;
        }
    }

    public InetSocketAddress b1() {
        return address(b1);
    }

    public InetSocketAddress b2() {
        return address(b2);
    }

    @Override
    public void close() {
        b1.stop();
        b2.stop();
    }

    private static Undertow server(String id) {
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(new EchoHandler(id))
                .build();
        server.start();
        return server;
    }

    private static InetSocketAddress address(Undertow server) {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    /** Answers with the backend's name and the request it saw. I/O thread; does not block. */
    private static final class EchoHandler implements HttpHandler {
        private final String id;

        EchoHandler(String id) {
            this.id = id;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) {
            StringBuilder b = new StringBuilder(512)
                    .append("hello from demo backend ").append(id).append("\n\n")
                    .append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI());
            if (!exchange.getQueryString().isEmpty()) {
                b.append('?').append(exchange.getQueryString());
            }
            b.append(' ').append(exchange.getProtocol())
                    .append("\nfrom ").append(exchange.getSourceAddress())
                    .append("\n\nrequest headers received:\n");
            List<String> lines = new ArrayList<>();
            for (HeaderValues values : exchange.getRequestHeaders()) {
                for (String v : values) {
                    lines.add(values.getHeaderName() + ": " + v);
                }
            }
            lines.sort(String.CASE_INSENSITIVE_ORDER);
            lines.forEach(line -> b.append("  ").append(line).append('\n'));
            exchange.getResponseHeaders()
                    .put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .put(X_BACKEND, id);
            exchange.getResponseSender().send(b.toString());
        }
    }
}
