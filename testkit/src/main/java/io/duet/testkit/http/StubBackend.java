package io.duet.testkit.http;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import org.xnio.IoUtils;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) backend on a loopback address that stamps its name in {@code X-Backend}, records every
 * request it receives (request line, headers, body, peer port) and answers as told: a {@link Mode} (normal, 500,
 * late, connection closed without an answer), or any {@link #handler handler}. It can stop listening (connection
 * refused) and listen again on the same port.
 *
 * <p>Thread-safe: tests configure it from their thread while Undertow's threads answer; settings are volatile.
 * By default it answers {@code 200} with body {@code <name> <method> <uri>[?query]}.
 */
public final class StubBackend implements AutoCloseable {
    /** How the backend answers when no {@link #handler handler} is set. */
    public enum Mode { OK, ERROR, SLOW, CLOSE }

    /** One request as the backend saw it. */
    public record Seen(String method, String uri, String query, List<String[]> headers, byte[] body, int remotePort) {
        /** The first value of a header (any case), or null. */
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        /** How many values of a header (any case) the request carried. */
        public long count(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }
    }

    private final String name;
    private final String address;
    private final SSLContext tls;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger checks = new AtomicInteger();
    private volatile HttpHandler handler;
    private volatile Mode mode = Mode.OK;
    private volatile Mode healthMode;
    private volatile long slowMs = 2000;
    private volatile int okStatus = 200;
    private volatile String body;
    private int port;
    private Undertow server;

    private StubBackend(String name, String address, int port, SSLContext tls) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.tls = tls;
        start();
    }

    /** Starts plain HTTP on 127.0.0.1 and an ephemeral port. */
    public static StubBackend start(String name) {
        return new StubBackend(name, "127.0.0.1", 0, null);
    }

    /** Starts HTTPS on 127.0.0.1 and an ephemeral port, with the server side of {@code tls}. */
    public static StubBackend startTls(String name, SSLContext tls) {
        return new StubBackend(name, "127.0.0.1", 0, tls);
    }

    /** Starts plain HTTP on a given loopback address (127.0.0.1, 127.0.0.2, ...) and port (0: ephemeral). */
    public static StubBackend startOn(String name, String address, int port) {
        return new StubBackend(name, address, port, null);
    }

    public String name() {
        return name;
    }

    /** The address it listens on, e.g. {@code 127.0.0.1}. */
    public String host() {
        return address;
    }

    /** Its port: the same across {@link #stop()} and {@link #start()}. */
    public synchronized int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(address, port());
    }

    /** Replaces the answer; the request is still recorded, body included, and stamped. Null: answer by mode. */
    public StubBackend handler(HttpHandler h) {
        this.handler = h;
        return this;
    }

    public StubBackend mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** A separate mode for requests to {@code /health...} (null: the same as {@link #mode}). */
    public StubBackend healthMode(Mode m) {
        this.healthMode = m;
        return this;
    }

    /** How late {@link Mode#SLOW} answers. */
    public StubBackend slowMs(long ms) {
        this.slowMs = ms;
        return this;
    }

    /** The status of a normal answer (204 has no body). */
    public StubBackend okStatus(int status) {
        this.okStatus = status;
        return this;
    }

    /** The body of a normal answer (null: {@code <name> <method> <uri>[?query]}). */
    public StubBackend body(String b) {
        this.body = b;
        return this;
    }

    public List<Seen> seen() {
        return seen;
    }

    public Seen last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    /** The Host header of each request in order ("" when absent). */
    public List<String> hosts() {
        return seen.stream().map(s -> s.header("Host") == null ? "" : s.header("Host")).toList();
    }

    /** Requests received, health checks included. */
    public int requests() {
        return requests.get();
    }

    /** Requests to {@code /health...} received. */
    public int checks() {
        return checks.get();
    }

    /** Requests received other than health checks. */
    public int requestsBesideChecks() {
        return requests.get() - checks.get();
    }

    /** Listens (again, on the same port after a {@link #stop()}). */
    public synchronized StubBackend start() {
        if (server != null) {
            return this;
        }
        Undertow.Builder b = Undertow.builder().setIoThreads(1).setWorkerThreads(4).setHandler(this::record);
        if (tls != null) {
            b.addHttpsListener(port, address, tls);
        } else {
            b.addHttpListener(port, address);
        }
        server = b.build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return this;
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    public synchronized StubBackend stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        return this;
    }

    private void record(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this::record);
            return;
        }
        ex.startBlocking();
        byte[] requestBody = ex.getInputStream().readAllBytes();
        List<String[]> headers = new CopyOnWriteArrayList<>();
        for (HeaderValues hv : ex.getRequestHeaders()) {
            for (String v : hv) {
                headers.add(new String[]{hv.getHeaderName().toString(), v});
            }
        }
        boolean check = ex.getRequestPath().startsWith("/health");
        seen.add(new Seen(ex.getRequestMethod().toString(), ex.getRequestURI(), ex.getQueryString(), headers,
                requestBody, ex.getSourceAddress().getPort()));
        if (check) {
            checks.incrementAndGet();
        }
        requests.incrementAndGet();
        ex.getResponseHeaders().put(new HttpString("X-Backend"), name);
        HttpHandler h = handler;
        if (h != null) {
            h.handleRequest(ex);
            return;
        }
        Mode m = check && healthMode != null ? healthMode : mode;
        switch (m) {
            case OK -> answer(ex, okStatus);
            case ERROR -> answer(ex, 500);
            // Dispatched, so the exchange stays open until the timer fires; no thread waits meanwhile.
            case SLOW -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> ex.getIoThread().executeAfter(
                    () -> ex.getConnection().getWorker().execute(() -> answer(ex, okStatus)),
                    slowMs, TimeUnit.MILLISECONDS));
            case CLOSE -> IoUtils.safeClose(ex.getConnection());
        }
    }

    private void answer(HttpServerExchange ex, int status) {
        ex.setStatusCode(status);
        if (status == 204) {
            ex.endExchange();
            return;
        }
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        String text;
        if (status == 500) {
            text = "error " + name;
        } else if (body != null) {
            text = body;
        } else {
            String q = ex.getQueryString();
            text = name + " " + ex.getRequestMethod() + " " + ex.getRequestURI() + (q == null || q.isEmpty() ? "" : "?" + q);
        }
        ex.getResponseSender().send(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stop();
    }
}
