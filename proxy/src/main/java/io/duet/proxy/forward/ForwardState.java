package io.duet.proxy.forward;

import io.duet.proxy.edge.EdgeLimits;
import io.duet.proxy.pool.BackendConnection;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.message.ProxyMessage.INVALID_RESPONSE_HEAD;
import static io.duet.proxy.message.ProxyMessage.SERVER_CLOSED_EARLY;

/**
 * Forwards one exchange to a server of a pool over HTTP/1.1 and streams the answer back: the per-request state
 * machine of Duet's own forwarder. It lives in the request's context (the access log and error pages read it).
 *
 * <p>Flow: pick a server and take an idle keep-alive connection of this I/O thread or open one
 * ({@link ServerChoice}), write the request head and stream the body, re-chunked when the client sent it chunked
 * ({@link RequestWriter}), parse the response head and stream the body to the client by its framing
 * ({@link ResponseReader}; an upgrade becomes a {@link Tunnel}). A connection goes back to the pool only when the
 * request was written whole, the response was read exactly to its end, and nobody asked to close.
 *
 * <p>Retries: a refused or timed-out connect sent nothing, so an idempotent request is tried on another server,
 * at most {@code retries} more times. A kept-alive connection the server closed just before our request arrived
 * (nothing answered, not a single byte) is retried once on a fresh connection to the same server for an idempotent
 * request without a body, as HAProxy and NGINX do. Anything else that fails after the request may have reached the
 * server is never resent (502).
 *
 * <p>This class is the last of the layers: how forwarding fails (the error page, what is retried on the same
 * server, aborts), the response deadline and the end of the exchange. The layers are one object per request.
 *
 * <p>Threads: every method runs on the exchange's I/O thread and never blocks.
 */
public final class ForwardState extends ResponseReader implements RequestContext.Forwarding,
        ExchangeCompletionListener {

    // Response deadline, linked into the I/O thread's ResponseDeadlines while armed.
    long deadlineNanos;
    ResponseDeadlines deadlines;
    ForwardState prevDeadline;
    ForwardState nextDeadline;
    /** A kept-alive connection the server had closed was already replaced once for this request. */
    private boolean staleRetried;

    ForwardState(Forwarder route, HttpServerExchange exchange, boolean requestChunked) {
        super(route, exchange, requestChunked);
    }

    /** The forwarding state the forwarder put in the exchange's request context, or {@code null} (not forwarded). */
    public static ForwardState of(HttpServerExchange exchange) {
        RequestContext ctx = RequestContext.peek(exchange);
        return ctx == null ? null : (ForwardState) ctx.forwarding();
    }

    /** The server of the last attempt, or {@code null}. */
    public BackendServer server() {
        return server;
    }

    @Override
    public String serverId() {
        return server == null ? null : server.id();
    }

    @Override
    public String pool() {
        return backendPool.name();
    }

    public ForwardFailure failure() {
        return failure;
    }

    /** Connection attempts made (1 without retry). */
    public int attempts() {
        return attempts;
    }

    /** The connection to the server broke (reset, closed early, write failed). */
    @Override
    void backendBroken(IOException cause) {
        BackendConnection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        c.abort();
        if (phase == HEAD && !anyResponseByte) {
            if (c.reused() && !staleRetried && !hasBody() && Idempotent.method(exchange.getRequestMethod())) {
                // The server closed an idle keep-alive connection as our request went out: it answered nothing.
                staleRetried = true;
                releaseInBuffer();
                phase = CONNECTING;
                server.connections().connect(exchange.getIoThread(), this, backendPool.connectTimeoutMs());
                return;
            }
            cancelResponseTimer();
            failure = ForwardFailure.NOT_RETRIED;
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} closed the connection before answering: {}", SERVER_CLOSED_EARLY, server, cause);
            }
            releaseInBuffer();
            fail();
            return;
        }
        if (phase == HEAD) {
            cancelResponseTimer();
            failure = ForwardFailure.NOT_RETRIED;
            releaseInBuffer();
            fail();
            return;
        }
        // Mid-body: the client already has the head; it must see a truncated response, never a complete one.
        abortBoth();
    }

    @Override
    void badResponse(String why) {
        LOG.warn("{} invalid response head from server '{}' of pool '{}': {}; answered 502, connection closed",
                INVALID_RESPONSE_HEAD,
                server.id(), backendPool.name(), why);
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        cancelResponseTimer();
        failure = ForwardFailure.NOT_RETRIED;
        releaseInBuffer();
        fail();
    }

    /** The response deadline passed (called by {@link ResponseDeadlines}). */
    void responseTimedOut() {
        boolean waiting = phase == HEAD || (phase == CONNECTING && staleRetried);
        if (!waiting || exchange.isResponseStarted()) {
            return;
        }
        failure = ForwardFailure.RESPONSE_TIMEOUT;
        server.metrics().responseTimeouts().inc();
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        releaseInBuffer();
        fail();
    }

    @Override
    void cancelResponseTimer() {
        if (deadlines != null) {
            deadlines.disarm(this);
        }
    }

    /** Ends the exchange with the error page of {@link #failure}. */
    @Override
    void fail() {
        phase = DONE;
        if (requestChannel != null) {
            requestChannel.suspendReads();
        }
        releaseOutBuffer();
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        int status = failure.status();
        // A request body that was not read to its end leaves the client connection out of sync: close it.
        ErrorResponses.send(exchange, status, ErrorId.idFor(status), failure.message(pool(), server), !requestRead());
    }

    /** The client failed while sending its body: the server must never see a complete request. */
    @Override
    void clientBroken(IOException e) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("client {} failed while sending the request body: {}", exchange.getSourceAddress(), e.toString());
        }
        if (EdgeLimits.connectionTakenOver(exchange)) {
            // The edge answered (400 bad chunking, 408 slow body, 413 too large) and drains the client before it
            // closes; closing here would reset the connection and lose that answer.
            phase = DONE;
            BackendConnection c = connection;
            connection = null;
            if (c != null) {
                c.abort();
            }
            releaseInBuffer();
            releaseOutBuffer();
            return;
        }
        abortBoth();
    }

    @Override
    void abortBoth() {
        phase = DONE;
        cancelResponseTimer();
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        releaseInBuffer();
        releaseOutBuffer();
        IoUtils.safeClose(exchange.getConnection());
    }

    @Override
    void connectionReady(BackendConnection c) {
        c.attach(this);
        if (!countedActive) {
            countedActive = true;
            server.metrics().requestStarted();
        }
        phase = HEAD;
        sentNanos = System.nanoTime();
        if (route.responseTimeoutMs() > 0 && deadlines == null) {
            ResponseDeadlines.of(exchange.getIoThread()).arm(this,
                    sentNanos + TimeUnit.MILLISECONDS.toNanos(route.responseTimeoutMs()));
        }
        writeHead();
    }

    /**
     * Ends the server's share of the request and anything still open when the exchange ends. The state is its own
     * completion listener: no lookup of the request's context when the exchange ends.
     */
    @Override
    public void exchangeEvent(HttpServerExchange ex, NextListener nextListener) {
        try {
            completed();
        } finally {
            nextListener.proceed();
        }
    }

    private void completed() {
        cancelResponseTimer();
        if (connection != null) {
            // The exchange ended under us (the client went away): the connection is mid-request.
            BackendConnection c = connection;
            connection = null;
            c.abort();
        }
        phase = DONE;
        releaseInBuffer();
        releaseOutBuffer();
        int status = exchange.isResponseStarted() ? exchange.getStatusCode() : 0;
        long nanos = System.nanoTime() - startNanos;
        backendPool.metrics().requestFinished(status, nanos);
        leaveQueueAndSlot();
        if (countedActive) {
            countedActive = false;
            server.metrics().requestFinished(status, nanos);
            if (failureReportedFor != server) {
                route.outcomes().onResponse(server, status); // a failed connect was reported when it happened
            }
        }
    }
}
