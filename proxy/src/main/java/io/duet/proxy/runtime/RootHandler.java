package io.duet.proxy.runtime;

import io.duet.proxy.access.AccessPolicy;
import io.duet.proxy.access.AccessTable;
import io.duet.proxy.accesslog.AccessLogWriter;
import io.duet.proxy.accesslog.AccessRecord;
import io.duet.proxy.accesslog.AccessTap;
import io.duet.proxy.edge.CanonicalPath;
import io.duet.proxy.edge.RequestGate;
import io.duet.proxy.forward.ForwardState;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.duet.proxy.request.RequestContext;
import io.duet.proxy.routing.Router;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The first handler after the edge on every listener: starts the request's {@link RequestContext} (made by the edge,
 * or here when no edge ran) on the current snapshot, taken once for the whole request, assigns the request id,
 * works out the real client's address when an access rule or a route match needs it and applies the listener's
 * access rule, routes, and on completion ends the route's metrics and writes the access log line.
 * I/O thread; never blocks.
 */
public final class RootHandler implements HttpHandler {
    private final Supplier<RuntimeSnapshot> snapshots;
    private final String listener;
    private final RequestGate gate;
    private final RequestContext.Ends ends;

    public RootHandler(Supplier<RuntimeSnapshot> snapshots, String listener) {
        this(snapshots, listener, RequestGate.OPEN, null);
    }

    /** @param tap the live tail's records (filled while watched), or null: none */
    public RootHandler(Supplier<RuntimeSnapshot> snapshots, String listener, RequestGate gate, AccessTap tap) {
        this.snapshots = snapshots;
        this.listener = listener;
        this.gate = gate;
        this.ends = new Ends(tap);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RuntimeSnapshot snapshot = snapshots.get();
        if (snapshot == null) {
            // A listener bound while the very first revision is being applied.
            ErrorResponses.send(exchange, ErrorId.NO_SERVER);
            return;
        }
        RequestContext ctx = RequestContext.of(exchange);
        ctx.start(snapshot, listener, System.nanoTime(), exchange, ends);
        exchange.addDefaultResponseListener(ERROR_PAGE);
        snapshot.forwarding().requestId(exchange, ctx);
        AccessTable access = snapshot.access();
        if (access.needsClient()) {
            // The real client (PROXY protocol, trusted X-Forwarded-For), then the listener's rule before any route.
            InetAddress client = snapshot.forwarding().realClient(exchange, ctx);
            AccessPolicy rule = access.listener(listener);
            if (rule != null && !rule.admit(exchange, client)) {
                return;
            }
        }
        if (!gate.admit(exchange)) {
            ErrorResponses.send(exchange, ErrorId.MISDIRECTED);
            return;
        }
        if (!snapshot.listenerRateLimits().isEmpty()) {
            HttpHandler limits = snapshot.listenerRateLimits().get(listener);
            if (limits != null) {
                limits.handleRequest(exchange); // the listener's rate limits, then ROUTE
                return;
            }
        }
        Router.route(exchange, snapshot.hosts(), CanonicalPath.canonicalPath(exchange), ctx, NOT_FOUND);
    }

    /** Routes a request whose context the root handler started (behind a listener's rate limits). I/O thread. */
    static final HttpHandler ROUTE = exchange -> {
        RequestContext ctx = RequestContext.of(exchange);
        Router.route(exchange, ((RuntimeSnapshot) ctx.snapshot()).hosts(), CanonicalPath.canonicalPath(exchange), ctx,
                RootHandler.NOT_FOUND);
    };

    /**
     * The error page of any exchange that ends with an error status and no body; a bare 503 of a forwarded request
     * that did not fail for want of a server says what really happened.
     */
    private static final DefaultResponseListener ERROR_PAGE = exchange -> {
        if (exchange.isResponseStarted() || exchange.getStatusCode() < 400) {
            return false;
        }
        ForwardState st = ForwardState.of(exchange);
        if (st != null && exchange.getStatusCode() == 503 && !st.failure().noServer()) {
            exchange.setStatusCode(st.failure().status());
        }
        int status = exchange.getStatusCode();
        ErrorResponses.send(exchange, status, ErrorId.idFor(status),
                st == null ? "the request could not be served" : st.failure().message(st.pool(), st.server()));
        return true;
    };

    private static final HttpHandler NOT_FOUND = exchange -> ErrorResponses.send(exchange, ErrorId.NO_ROUTE);

    /**
     * Hop-by-hop removal and the request id on every response, whatever produced it (before the commit); route
     * metrics, the access log and the live tail's tap (while watched) when the exchange ends.
     */
    private static final class Ends implements RequestContext.Ends {
        private final AccessTap tap; // null: none

        Ends(AccessTap tap) {
            this.tap = tap;
        }

        @Override
        public void beforeCommit(HttpServerExchange exchange, RequestContext ctx) {
            RuntimeSnapshot snapshot = snapshotOf(ctx);
            if (snapshot != null) {
                snapshot.forwarding().response(exchange, ctx);
            }
        }

        @Override
        public void completed(HttpServerExchange exchange, RequestContext ctx) {
            RuntimeSnapshot snapshot = snapshotOf(ctx);
            if (snapshot != null) {
                long nanos = System.nanoTime() - ctx.startNanos();
                int status = exchange.isResponseStarted() ? exchange.getStatusCode() : 0;
                ctx.finished(status, nanos);
                AccessLogWriter log = snapshot.accessLog();
                boolean tapped = tap != null && tap.watched();
                if (log != null || tapped) {
                    AccessRecord r = record(exchange, ctx, status, nanos);
                    if (log != null) {
                        log.log(r);
                    }
                    if (tapped) {
                        tap.offer(r);
                    }
                }
            }
        }
    }

    /** The snapshot this handler started the request on, or {@code null} when it did not start it. */
    private static RuntimeSnapshot snapshotOf(RequestContext ctx) {
        return ctx == null ? null : (RuntimeSnapshot) ctx.snapshot();
    }

    /** The client's address as text: forwarding's per-connection record when it made one, else the socket's. */
    private static String clientIp(HttpServerExchange ex, RequestContext ctx) {
        RequestContext.Client client = ctx.client();
        if (client != null) {
            return client.address() == null ? "-" : client.ip();
        }
        InetSocketAddress source = ex.getSourceAddress();
        return source == null || source.getAddress() == null ? "-" : source.getAddress().getHostAddress();
    }

    private static AccessRecord record(HttpServerExchange ex, RequestContext ctx, int status, long nanos) {
        RequestContext.Route route = ctx.route();
        RequestContext.Forwarding st = ctx.forwarding();
        String query = ex.getQueryString();
        String uri = query == null || query.isEmpty() ? ex.getRequestURI() : ex.getRequestURI() + "?" + query;
        return new AccessRecord(
                System.currentTimeMillis(),
                clientIp(ex, ctx),
                ex.getRequestMethod().toString(),
                uri,
                ex.getProtocol().toString(),
                status,
                ex.getResponseBytesSent(),
                ex.getRequestContentLength(),
                TimeUnit.NANOSECONDS.toMicros(nanos),
                ex.getRequestHeaders().getFirst(Headers.HOST),
                route == null ? null : route.vhost(),
                route == null ? null : route.name(),
                st == null ? null : st.pool(),
                st == null ? null : st.serverId(),
                ex.getRequestHeaders().getFirst(Headers.REFERER),
                ex.getRequestHeaders().getFirst(Headers.USER_AGENT),
                ctx.requestId(),
                ctx.listener());
    }
}
