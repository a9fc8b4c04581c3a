package io.duet.proxy.request;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.AttachmentKey;

import java.net.InetAddress;

/**
 * One request's state, from where it enters Duet to the access log: the canonical path and the body guard (edge),
 * the snapshot, listener and start time (root handler), the request id (forwarding headers), the body prefix and
 * the route (routing), the sticky binding (affinity) and the forwarding state with its pool, server and failure
 * (forwarder). One object, attached once to the exchange ({@link #of}) instead of one attachment per layer.
 *
 * <p>This package depends on nothing of Duet, so every layer may read the context. A field whose type lives higher
 * up is typed by a small interface declared here and implemented by the owner ({@link Route} by the compiled
 * route, {@link Forwarding} by the forwarder's state, ...): what lower layers read is on the interface, and only
 * the owning package reads its own object back as its own type. Nothing here allocates after the context itself.
 *
 * <p>Threads: touched by the thread handling the exchange (its I/O thread, or the worker a handler dispatched to);
 * completion listeners read it after the request's handlers. No locks, no volatile: Undertow hands the exchange
 * from thread to thread with a happens-before edge.
 */
public final class RequestContext implements ResponseCommitListener, ExchangeCompletionListener {
    private static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);

    /** The compiled snapshot the request uses from start to end (the runtime's). */
    public interface Snapshot {
    }

    /** The route the router chose (routing's compiled route): its names and its metrics. */
    public interface Route {
        String vhost();

        String name();

        /** The route's metrics start: it is about to handle a request. */
        void requestStarted();

        /** The route's metrics end for a request it started. */
        void requestFinished(int status, long nanos);
    }

    /** The forwarding of the request (the forwarder's state): the pool and the server of the last attempt. */
    public interface Forwarding {
        /** The pool's name. */
        String pool();

        /** The id of the server of the last attempt, or {@code null}. */
        String serverId();
    }

    /** What affinity found and decided for the request (affinity's sticky binding). */
    public interface Binding {
    }

    /** The client's address (forwarding's per-connection record of it), once something asked for it. */
    public interface Client {
        /** The peer's address, or {@code null} when the connection has none (a test channel). */
        InetAddress address();

        /** The address as text ({@code unknown} without one). */
        String ip();

        /** The local port the client connected to, or -1 when unknown. */
        int localPort();
    }

    /**
     * What the request's starter (the root handler) does when the response is committed and when the exchange
     * ends. The context is itself the exchange's listener for both, so neither looks the context up again.
     */
    public interface Ends {
        void beforeCommit(HttpServerExchange exchange, RequestContext ctx);

        void completed(HttpServerExchange exchange, RequestContext ctx);
    }

    /** The edge's guard of the request body (limit, deadlines). */
    public interface Guard {
    }

    /** The error pages of the request's virtual host (response's compiled pages), once the host is known. */
    public interface Pages {
    }

    private String canonicalPath;
    private Guard bodyGuard;
    private Snapshot snapshot;
    private String listener;
    private long startNanos;
    private String requestId;
    private byte[] bodyPrefix;
    private Route route;
    private Binding binding;
    private Forwarding forwarding;
    private Client client;
    private InetAddress realClient;
    private Ends ends;
    private Pages pages;

    private RequestContext() {
    }

    /**
     * The request's context, made and attached on the first call: where the request enters Duet (the edge; the root
     * handler when no edge ran). Thread handling the exchange.
     */
    public static RequestContext of(HttpServerExchange exchange) {
        RequestContext c = exchange.getAttachment(KEY);
        if (c == null) {
            c = new RequestContext();
            exchange.putAttachment(KEY, c);
        }
        return c;
    }

    /** The request's context, or {@code null} when neither the edge nor the root handler has seen the request. */
    public static RequestContext peek(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY);
    }

    /** The client's address, or {@code null} until forwarding looked it up for this request. */
    public Client client() {
        return client;
    }

    public void client(Client c) {
        this.client = c;
    }

    /**
     * The real client's address (after the PROXY protocol and a trusted proxy's X-Forwarded-For; forwarding's
     * definition), or {@code null} until the root handler asked forwarding for it (only when the snapshot has an
     * access rule or a {@code match.sources}).
     */
    public InetAddress realClient() {
        return realClient;
    }

    public void realClient(InetAddress address) {
        this.realClient = address;
    }

    /** The canonical, decoded path the edge made, or {@code null} (no edge, or {@code OPTIONS *}). */
    public String canonicalPath() {
        return canonicalPath;
    }

    public void canonicalPath(String decoded) {
        this.canonicalPath = decoded;
    }

    /** The edge's body guard, or {@code null} (no body, or no edge). */
    public Guard bodyGuard() {
        return bodyGuard;
    }

    public void bodyGuard(Guard guard) {
        this.bodyGuard = guard;
    }

    /** The root handler starts the request on a snapshot, on a listener, at a time ({@link System#nanoTime}). */
    public void start(Snapshot snapshot, String listener, long startNanos) {
        this.snapshot = snapshot;
        this.listener = listener;
        this.startNanos = startNanos;
    }

    /**
     * As {@link #start(Snapshot, String, long)}, and registers the context on the exchange as its response-commit and
     * completion listener, calling {@code ends}.
     */
    public void start(Snapshot snapshot, String listener, long startNanos, HttpServerExchange exchange, Ends ends) {
        start(snapshot, listener, startNanos);
        this.ends = ends;
        exchange.addExchangeCompleteListener(this);
        exchange.addResponseCommitListener(this);
    }

    @Override
    public void beforeCommit(HttpServerExchange exchange) {
        if (ends != null) {
            ends.beforeCommit(exchange, this);
        }
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        try {
            if (ends != null) {
                ends.completed(exchange, this);
            }
        } finally {
            nextListener.proceed();
        }
    }

    /** The snapshot the request uses, or {@code null} before the root handler ran. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** The listener's name, or {@code null} before the root handler ran. */
    public String listener() {
        return listener;
    }

    /** When the root handler started the request ({@link System#nanoTime}). */
    public long startNanos() {
        return startNanos;
    }

    /** The request id (the client's {@code X-Request-Id} or one Duet made), or {@code null} when none was set. */
    public String requestId() {
        return requestId;
    }

    public void requestId(String id) {
        this.requestId = id;
    }

    /** The first bytes of the body a route condition needed, or {@code null} when none were read. */
    public byte[] bodyPrefix() {
        return bodyPrefix;
    }

    public void bodyPrefix(byte[] prefix) {
        this.bodyPrefix = prefix;
    }

    /** The router chose a route: it is about to handle the request, and its metrics start. */
    public void routeChosen(Route chosen) {
        route = chosen;
        chosen.requestStarted();
    }

    /** The route the request took, or {@code null} (no route matched, or the request was refused before). */
    public Route route() {
        return route;
    }

    /** The request ended: the metrics of its route end, when they had started. */
    public void finished(int status, long nanos) {
        if (route != null) {
            route.requestFinished(status, nanos);
        }
    }

    /**
     * The error pages of the request's virtual host, or {@code null} (host not known yet, or it has none): the router
     * sets them once it found the host, and every answer Duet writes itself for the request uses them.
     */
    public Pages pages() {
        return pages;
    }

    public void pages(Pages p) {
        this.pages = p;
    }

    /** Affinity's binding, or {@code null} (no affinity, or not forwarded yet). */
    public Binding binding() {
        return binding;
    }

    public void binding(Binding b) {
        this.binding = b;
    }

    /** The forwarding of the request, or {@code null} when it was not forwarded. */
    public Forwarding forwarding() {
        return forwarding;
    }

    public void forwarding(Forwarding f) {
        this.forwarding = f;
    }
}
