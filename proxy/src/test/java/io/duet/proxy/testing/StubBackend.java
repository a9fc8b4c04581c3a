package io.duet.proxy.testing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on 127.0.0.1 and an ephemeral port that stamps its name in {@code X-Backend} and records
 * every request it receives (request line and headers), for black-box tests of the proxy.
 *
 * <p>By default it answers {@code 200} with body {@code <name> <method> <uri>}; {@link #handler} replaces that.
 */
public final class StubBackend implements AutoCloseable {
    /** One request as the backend saw it. */
    public record Seen(String method, String uri, String query, List<String[]> headers, byte[] body, int remotePort) {
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        public long count(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }
    }

    private final String name;
    private final Undertow server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile HttpHandler handler;

    private StubBackend(String name) {
        this.name = name;
        this.handler = this::defaultAnswer;
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setHandler(this::record)
                .build();
        server.start();
    }

    public static StubBackend start(String name) {
        return new StubBackend(name);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Replaces the answer; the request is still recorded (without body unless the handler reads it). */
    public StubBackend handler(HttpHandler h) {
        this.handler = h;
        return this;
    }

    public List<Seen> seen() {
        return seen;
    }

    public Seen last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    public int requests() {
        return requests.get();
    }

    private void record(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this::record);
            return;
        }
        ex.startBlocking();
        byte[] body = ex.getInputStream().readAllBytes();
        List<String[]> headers = new CopyOnWriteArrayList<>();
        for (HeaderValues hv : ex.getRequestHeaders()) {
            for (String v : hv) {
                headers.add(new String[]{hv.getHeaderName().toString(), v});
            }
        }
        seen.add(new Seen(ex.getRequestMethod().toString(), ex.getRequestURI(), ex.getQueryString(), headers, body,
                ex.getSourceAddress().getPort()));
        requests.incrementAndGet();
        ex.getResponseHeaders().put(new HttpString("X-Backend"), name);
        handler.handleRequest(ex);
    }

    private void defaultAnswer(HttpServerExchange ex) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        String q = ex.getQueryString();
        ex.getResponseSender().send(name + " " + ex.getRequestMethod() + " " + ex.getRequestURI()
                + (q == null || q.isEmpty() ? "" : "?" + q), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
    }
}
