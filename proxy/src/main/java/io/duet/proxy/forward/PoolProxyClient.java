package io.duet.proxy.forward;

import io.duet.proxy.balance.ResponseLatency;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.WorkerUtils;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.util.concurrent.TimeUnit;

/**
 * The bridge between Undertow's proxy machinery and our pools: picks a server with the pool's balancer, takes a
 * keep-alive connection from that server's pool, enforces the connect and response timeouts, and decides retries.
 *
 * <p>Retries: when a connection to a server fails (refused, reset, connect timeout) before any byte of the request
 * was sent, an idempotent request is tried on another server of the pool, at most {@code retries} more times.
 * Once a connection was handed to Undertow the request may have reached the server, so it is never resent, whatever
 * its method (502). That connection is handed over wrapped in {@link AbortingClientConnection}, so giving up on it
 * mid-request never completes a truncated request body at the server.
 * Anything else ends in an error response written by {@link ErrorPages} (502 connect failure, 503 no server,
 * 504 timeouts).
 *
 * <p>Every method runs on the exchange's I/O thread and never blocks.
 */
public final class PoolProxyClient implements ProxyClient {
    /** The retries a ProxyHandler in front of this client must allow: we decide, so it must always ask us. */
    public static final int MAX_RETRIES = 6;

    private static final ProxyTarget TARGET = new ProxyTarget() {
    };

    private final BackendPool pool;
    private final int retries;
    private final long responseTimeoutMs;

    public PoolProxyClient(BackendPool pool, int retries, long responseTimeoutMs) {
        this.pool = pool;
        this.retries = retries;
        this.responseTimeoutMs = responseTimeoutMs;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        return TARGET;
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        ForwardState st = exchange.getAttachment(ForwardState.KEY);
        if (st == null) {
            st = new ForwardState(pool);
            exchange.putAttachment(ForwardState.KEY, st);
            pool.metrics().requestStarted();
            exchange.addExchangeCompleteListener(COMPLETION);
        } else {
            releaseServer(st, 0);
            if (st.failure == ForwardState.Failure.RESPONSE_TIMEOUT) {
                // Undertow retries idempotent requests whose backend connection broke; a timeout is final.
                ErrorPages.forwardFailure(exchange, st);
                return;
            }
            if (st.connection != null) {
                // The last attempt got a connection, so the request may have reached the server (it died before
                // answering). Only a request that sent nothing is retried: Undertow would resend an idempotent one.
                st.failure = ForwardState.Failure.NOT_RETRIED;
                ErrorPages.forwardFailure(exchange, st);
                return;
            }
            if (st.attempts > retries || !Idempotent.method(exchange.getRequestMethod())) {
                ErrorPages.forwardFailure(exchange, st);
                return;
            }
        }
        BackendServer server = pool.balancer().pick(new ExchangeRequestView(exchange), st.excluded);
        if (server == null) {
            if (st.attempts == 0) {
                st.failure = ForwardState.Failure.NO_SERVER;
                pool.metrics().noServerAvailable().inc();
            }
            ErrorPages.forwardFailure(exchange, st);
            return;
        }
        if (st.attempts > 0) {
            server.metrics().retries().inc();
        }
        st.attempts++;
        st.server = server;
        if (server.index() < 64) {
            st.excluded |= 1L << server.index();
        }
        st.failure = ForwardState.Failure.NONE;
        Attempt attempt = new Attempt(exchange, st, server, callback);
        server.connections().connect(target, exchange, attempt, timeout, timeUnit, false);
        attempt.armConnectTimer(pool.connectTimeoutMs());
    }

    /** One connection attempt to one server; guards against a late answer after its timeout fired. */
    private final class Attempt implements ProxyCallback<ProxyConnection>, Runnable {
        private final HttpServerExchange exchange;
        private final ForwardState st;
        private final BackendServer server;
        private final ProxyCallback<ProxyConnection> next;
        private XnioExecutor.Key timer;
        private boolean done;

        Attempt(HttpServerExchange exchange, ForwardState st, BackendServer server, ProxyCallback<ProxyConnection> next) {
            this.exchange = exchange;
            this.st = st;
            this.server = server;
            this.next = next;
        }

        /** Arms the connect timeout unless the pool already answered (a cached connection answers at once). */
        void armConnectTimer(long ms) {
            if (!done && ms > 0) {
                timer = WorkerUtils.executeAfter(exchange.getIoThread(), this, ms, TimeUnit.MILLISECONDS);
            }
        }

        /** Connect timeout. */
        @Override
        public void run() {
            if (done) {
                return;
            }
            done = true;
            st.failure = ForwardState.Failure.CONNECT_TIMEOUT;
            server.metrics().connectErrors().inc();
            next.failed(exchange);
        }

        private boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            if (timer != null) {
                timer.remove();
            }
            return true;
        }

        @Override
        public void completed(HttpServerExchange ex, ProxyConnection connection) {
            if (!finish()) {
                IoUtils.safeClose(connection.getConnection());
                return;
            }
            // ProxyHandler (and our response timeout) must abort, never cleanly close, a connection given up on
            // mid-request: see AbortingClientConnection.
            ProxyConnection forwarded = new ProxyConnection(new AbortingClientConnection(connection.getConnection()),
                    connection.getTargetPath());
            st.connection = forwarded;
            server.state().active().incrementAndGet();
            server.metrics().requestStarted();
            st.countedActive = true;
            ex.addResponseCommitListener(RECORD_LATENCY);
            if (responseTimeoutMs > 0) {
                st.responseTimer = WorkerUtils.executeAfter(ex.getIoThread(), new ResponseTimeout(ex, st),
                        responseTimeoutMs, TimeUnit.MILLISECONDS);
                ex.addResponseCommitListener(CANCEL_RESPONSE_TIMER);
            }
            next.completed(ex, forwarded);
        }

        @Override
        public void failed(HttpServerExchange ex) {
            if (!finish()) {
                return;
            }
            st.failure = ForwardState.Failure.CONNECT_FAILED;
            server.metrics().connectErrors().inc();
            next.failed(ex);
        }

        @Override
        public void couldNotResolveBackend(HttpServerExchange ex) {
            if (finish()) {
                st.failure = ForwardState.Failure.CONNECT_FAILED;
                next.couldNotResolveBackend(ex);
            }
        }

        @Override
        public void queuedRequestFailed(HttpServerExchange ex) {
            if (finish()) {
                st.failure = ForwardState.Failure.QUEUE_FULL;
                ErrorPages.forwardFailure(ex, st);
            }
        }
    }

    /** The backend did not start its response in time: drop its connection and answer 504. */
    private final class ResponseTimeout implements Runnable {
        private final HttpServerExchange exchange;
        private final ForwardState st;

        ResponseTimeout(HttpServerExchange exchange, ForwardState st) {
            this.exchange = exchange;
            this.st = st;
        }

        @Override
        public void run() {
            st.responseTimer = null;
            if (exchange.isResponseStarted() || exchange.isComplete()) {
                return;
            }
            st.failure = ForwardState.Failure.RESPONSE_TIMEOUT;
            st.server.metrics().responseTimeouts().inc();
            // Close the backend connection abruptly: Undertow's clean close drains it first (until the server
            // answers or for seconds). The abrupt close fails Undertow's client exchange at once, which comes back
            // to us (retry path: getConnection answers 504) or ends the exchange (the default response listener
            // maps it to 504); the connection is never returned to the pool.
            if (st.connection != null) {
                IoUtils.safeClose(st.connection.getConnection()); // an AbortingClientConnection: aborts
            }
            if (!exchange.isResponseStarted() && !exchange.isComplete()) {
                ErrorPages.forwardFailure(exchange, st);
            }
        }
    }


    private static final ResponseCommitListener CANCEL_RESPONSE_TIMER = exchange -> {
        ForwardState st = exchange.getAttachment(ForwardState.KEY);
        if (st != null && st.responseTimer != null) {
            st.responseTimer.remove();
            st.responseTimer = null;
        }
    };

    /** Least-response-time's sample: time from the start of forwarding to the response head. */
    private static final ResponseCommitListener RECORD_LATENCY = exchange -> {
        ForwardState st = exchange.getAttachment(ForwardState.KEY);
        if (st != null && st.server != null) {
            ResponseLatency.record(st.server, st.startNanos);
        }
    };

    private static final ExchangeCompletionListener COMPLETION = (exchange, nextListener) -> {
        ForwardState st = exchange.getAttachment(ForwardState.KEY);
        if (st != null) {
            if (st.responseTimer != null) {
                st.responseTimer.remove();
                st.responseTimer = null;
            }
            int status = exchange.isResponseStarted() ? exchange.getStatusCode() : 0;
            st.backendPool.metrics().requestFinished(status, System.nanoTime() - st.startNanos);
            releaseServer(st, status);
        }
        nextListener.proceed();
    };

    /** Ends the server's share of the request: its in-flight count and its metrics. Idempotent. */
    private static void releaseServer(ForwardState st, int status) {
        if (st.countedActive) {
            st.countedActive = false;
            st.server.state().active().decrementAndGet();
            st.server.metrics().requestFinished(status, System.nanoTime() - st.startNanos);
        }
    }
}
