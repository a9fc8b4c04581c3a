package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static io.duet.proxy.message.ProxyMessage.METRICS_RENDER_FAILED;

/**
 * A small HTTP listener of its own for monitoring, apart from the data plane's listeners:
 * <ul>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format 0.0.4 ({@link PrometheusTextWriter}),
 *       written on a worker thread, never on the I/O thread;</li>
 *   <li>{@code GET /healthz}: 200 {@code ok} (the process is up and serving this listener);</li>
 *   <li>any other path: 404; any method other than GET or HEAD: 405 with {@code Allow: GET, HEAD}.</li>
 * </ul>
 * One I/O thread and two worker threads; plain HTTP only, so bind it to loopback or a management network.
 *
 * <p>{@link #start} blocks until the port is bound; {@link #close} until it is released. Both are for the
 * startup/shutdown thread.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Undertow undertow;
    private final InetSocketAddress address;

    private ManagementServer(Undertow undertow, InetSocketAddress address) {
        this.undertow = undertow;
        this.address = address;
    }

    /**
     * Binds and starts serving.
     *
     * @param bind     host and port; port 0 picks a free port (see {@link #address()})
     * @param registry the registry served at {@code /metrics}
     * @throws RuntimeException if the address cannot be bound
     */
    public static ManagementServer start(InetSocketAddress bind, MetricRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Undertow undertow = Undertow.builder()
                .addHttpListener(bind.getPort(), bind.getHostString())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(new Handler(registry))
                .build();
        undertow.start();
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new ManagementServer(undertow, bound);
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static final class Handler implements HttpHandler {
        private final MetricRegistry registry;

        Handler(MetricRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) {
            if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
                exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                text(exchange, "method not allowed\n");
                return;
            }
            switch (exchange.getRequestPath()) {
                case "/metrics" -> {
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(this);
                        return;
                    }
                    metrics(exchange);
                }
                case "/healthz" -> text(exchange, "ok");
                default -> {
                    exchange.setStatusCode(StatusCodes.NOT_FOUND);
                    text(exchange, "not found\n");
                }
            }
        }

        /** Worker thread: renders the whole registry, then sends it in one go. */
        private void metrics(HttpServerExchange exchange) {
            StringBuilder body = new StringBuilder(16 * 1024);
            try {
                PrometheusTextWriter.write(registry, body);
            } catch (Exception e) {
                LOG.error("{} cannot render /metrics: {}; answering 500. This is a bug: report it with"
                        + " the stack trace.", METRICS_RENDER_FAILED, e.toString(), e);
                exchange.setStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
                text(exchange, "cannot render metrics\n");
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PrometheusTextWriter.CONTENT_TYPE);
            exchange.getResponseSender().send(body.toString(), StandardCharsets.UTF_8);
        }

        private static void text(HttpServerExchange exchange, String body) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
        }
    }
}
