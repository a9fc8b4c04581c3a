package io.duet.proxy.health;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HttpString;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on a fixed loopback port that fails on command: answer normally, answer 500, answer late,
 * close the connection without answering, or stop listening altogether (connection refused) and come back on the
 * same port. Stamps its name in {@code X-Backend}; records the Host header of each request.
 */
final class FlakyBackend implements AutoCloseable {
    enum Mode { OK, ERROR, SLOW, CLOSE }

    private final String name;
    private final int port;
    private final SSLContext tls;
    private volatile Mode mode = Mode.OK;
    private volatile Mode healthMode = null;
    private volatile long slowMs = 2000;
    private volatile int okStatus = 200;
    private volatile String body;
    private final AtomicInteger requests = new AtomicInteger();
    final List<String> hosts = new CopyOnWriteArrayList<>();
    private Undertow server;

    private FlakyBackend(String name, SSLContext tls) throws Exception {
        this.name = name;
        this.tls = tls;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        this.body = "ok " + name;
        start();
    }

    static FlakyBackend start(String name) throws Exception {
        return new FlakyBackend(name, null);
    }

    static FlakyBackend startTls(String name, SSLContext tls) throws Exception {
        return new FlakyBackend(name, tls);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** Requests answered (any mode) since start. */
    int requests() {
        return requests.get();
    }

    FlakyBackend mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** A separate mode for requests to /health (null: same as {@link #mode}). */
    FlakyBackend healthMode(Mode m) {
        this.healthMode = m;
        return this;
    }

    FlakyBackend slowMs(long ms) {
        this.slowMs = ms;
        return this;
    }

    FlakyBackend okStatus(int status) {
        this.okStatus = status;
        return this;
    }

    FlakyBackend body(String b) {
        this.body = b;
        return this;
    }

    /** Listens again on the same port. */
    synchronized FlakyBackend start() {
        if (server != null) {
            return this;
        }
        Undertow.Builder b = Undertow.builder().setIoThreads(1).setWorkerThreads(2).setHandler(this::handle);
        if (tls != null) {
            b.addHttpsListener(port, "127.0.0.1", tls);
        } else {
            b.addHttpListener(port, "127.0.0.1");
        }
        server = b.build();
        server.start();
        return this;
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    synchronized FlakyBackend stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        return this;
    }

    private void handle(HttpServerExchange ex) {
        requests.incrementAndGet();
        String host = ex.getRequestHeaders().getFirst(Headers.HOST);
        hosts.add(host == null ? "" : host);
        Mode m = healthMode != null && ex.getRequestPath().startsWith("/health") ? healthMode : mode;
        ex.getResponseHeaders().put(new HttpString("X-Backend"), name);
        switch (m) {
            case OK -> send(ex, okStatus);
            case ERROR -> send(ex, 500);
            // Dispatched, so the exchange stays open until the timer answers; the I/O thread is not blocked.
            case SLOW -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> ex.getIoThread().executeAfter(
                    () -> send(ex, okStatus), slowMs, TimeUnit.MILLISECONDS));
            case CLOSE -> org.xnio.IoUtils.safeClose(ex.getConnection());
        }
    }

    private void send(HttpServerExchange ex, int status) {
        ex.setStatusCode(status);
        if (status == 204) {
            ex.endExchange();
            return;
        }
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        ex.getResponseSender().send(status == 500 ? "error " + name : body, StandardCharsets.UTF_8);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public void close() {
        stop();
    }
}
