package io.duet.proxy.edge;

import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.ProxyProtocol;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EdgeListener} on 127.0.0.1 port 0 in front of an echo handler, for raw-socket tests. The echo
 * reports what passed the edge: method, canonical path, request URI, query, source address, body length and
 * every header, one per line. Register with {@code @RegisterExtension}; start with {@link #start}.
 */
final class EdgeServer implements AfterEachCallback {

    /** Counts every edge event by method name. */
    static final class Counting implements EdgeEvents {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        int count(String event) {
            AtomicInteger n = counts.get(event);
            return n == null ? 0 : n.get();
        }

        private void inc(String event) {
            counts.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override public void requestLineTooLong() { inc("requestLineTooLong"); }
        @Override public void headersTooLarge() { inc("headersTooLarge"); }
        @Override public void tooManyHeaders() { inc("tooManyHeaders"); }
        @Override public void bodyTooLarge() { inc("bodyTooLarge"); }
        @Override public void headerTimeout() { inc("headerTimeout"); }
        @Override public void slowBody() { inc("slowBody"); }
        @Override public void badRequest() { inc("badRequest"); }
        @Override public void proxyProtocolRejected() { inc("proxyProtocolRejected"); }
        @Override public void connectionLimitReached() { inc("connectionLimitReached"); }
        @Override public void connectionOpened() { inc("connectionOpened"); }
        @Override public void connectionClosed() { inc("connectionClosed"); }
    }

    final Counting events = new Counting();
    private XnioWorker worker;
    private EdgeListener listener;

    /** Test limits: small and fast; override what a test needs. */
    static Limits limits(Integer maxLine, Integer maxHeaderBytes, Integer maxHeaders, Long maxBody,
                         Long headerTimeoutMs, Long idleMs, Long bodyTimeoutMs, Long minRate, Integer maxConnections) {
        return new Limits(maxLine, maxHeaderBytes, maxHeaders, maxBody,
                headerTimeoutMs == null ? 2_000L : headerTimeoutMs, idleMs == null ? 5_000L : idleMs,
                bodyTimeoutMs == null ? 2_000L : bodyTimeoutMs, minRate == null ? 0L : minRate, maxConnections,
                null, null);
    }

    EdgeServer start(Limits limits) {
        return start(limits, ProxyProtocol.disabled(), EdgeServer::echo);
    }

    EdgeServer start(Limits limits, ProxyProtocol proxyProtocol, HttpHandler next) {
        try {
            worker = Xnio.getInstance().createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, 1)
                    .set(Options.WORKER_TASK_CORE_THREADS, 4)
                    .set(Options.WORKER_TASK_MAX_THREADS, 4)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listener = EdgeListener.bind(worker, new DefaultByteBufferPool(false, 16 * 1024),
                new Listener("test", "127.0.0.1", 0, "http", proxyProtocol), limits, events, next);
        return this;
    }

    InetSocketAddress address() {
        return listener.address();
    }

    EdgeListener listener() {
        return listener;
    }

    /** Echoes what the edge let through; reads the whole body first. */
    static void echo(HttpServerExchange exchange) {
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            StringBuilder sb = new StringBuilder();
            sb.append("method=").append(ex.getRequestMethod()).append('\n');
            sb.append("path=").append(CanonicalPath.canonicalPath(ex)).append('\n');
            sb.append("requestPath=").append(ex.getRequestPath()).append('\n');
            sb.append("relativePath=").append(ex.getRelativePath()).append('\n');
            sb.append("uri=").append(ex.getRequestURI()).append('\n');
            sb.append("query=").append(ex.getQueryString()).append('\n');
            sb.append("source=").append(ex.getSourceAddress().getAddress().getHostAddress())
                    .append(':').append(ex.getSourceAddress().getPort()).append('\n');
            sb.append("body=").append(body.length).append('\n');
            for (HeaderValues h : ex.getRequestHeaders()) {
                for (String v : h) {
                    sb.append("h:").append(h.getHeaderName().toString().toLowerCase()).append('=').append(v).append('\n');
                }
            }
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            ex.getResponseSender().send(sb.toString(), StandardCharsets.UTF_8);
        }, (ex, e) -> {
            if (!ex.isResponseStarted()) {
                ex.setStatusCode(500);
            }
            ex.endExchange();
        });
    }

    /** The value of {@code key=} in an echo body, or null. */
    static String field(String echoBody, String key) {
        for (String line : echoBody.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        return null;
    }

    static List<String> lines(String echoBody) {
        return List.of(echoBody.split("\n"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (listener != null) {
            listener.close();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
