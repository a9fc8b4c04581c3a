package io.duet.proxy.forward;

import io.duet.config.ServerLimit;
import io.duet.proxy.affinity.ForwardOutcome;
import io.duet.proxy.affinity.RouteAffinity;
import io.duet.proxy.affinity.StickyBinding;
import io.duet.proxy.edge.CanonicalPath;
import io.duet.proxy.pool.BackendConnection;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;
import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.ServerConnections;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import static io.duet.proxy.message.ProxyMessage.CONNECT_FAILED;

/**
 * The first layer of the forwarder's per-request state ({@link ForwardState}): chooses the server of each attempt
 * (affinity's {@link io.duet.proxy.affinity.AffinityDecision}, else the pool's balancer), holds its serverLimit slot
 * or waits in the pool's queue, takes an idle keep-alive connection of this I/O thread or opens one, and retries an
 * idempotent request on another server after a failed connect. It is also what balancers may read of the request.
 *
 * <p>The layers ({@code ServerChoice}, {@link RequestWriter}, {@link ResponseReader}, {@link ForwardState}) are
 * one object per request: each is its own class, none is allocated apart. Threads: the exchange's I/O thread, never
 * blocking; only {@link #grant} may come from another thread.
 */
abstract class ServerChoice implements Runnable, RequestView, ServerConnections.ConnectCallback, PoolState.Waiter,
        ForwardOutcome {
    static final Logger LOG = LoggerFactory.getLogger(ForwardState.class);

    static final int START = 0;
    static final int CONNECTING = 1;
    static final int HEAD = 2;
    static final int BODY_LENGTH = 3;
    static final int BODY_CHUNKED = 4;
    static final int BODY_UNTIL_CLOSE = 5;
    static final int DONE = 6;
    static final int QUEUED_PHASE = 7;

    private static final int NOT_QUEUED = 0;
    private static final int QUEUED = 1;
    private static final int GRANTED = 2;
    private static final int GAVE_UP = 3;
    private static final AtomicIntegerFieldUpdater<ServerChoice> QUEUE =
            AtomicIntegerFieldUpdater.newUpdater(ServerChoice.class, "queueState");

    final BackendPool backendPool;
    final long startNanos = System.nanoTime();
    final Forwarder route;
    final HttpServerExchange exchange;

    int attempts;
    long excluded;
    BackendServer server;
    ForwardFailure failure = ForwardFailure.NONE;
    boolean countedActive;

    int phase = START;
    /** The request's affinity binding, made on the first attempt when the route has affinity. */
    private StickyBinding sticky;
    /** The server whose in-flight count (and serverLimit slot) this request holds, or {@code null}. */
    private BackendServer slot;
    private volatile int queueState;
    private XnioExecutor.Key queueTimer;
    /** The connection of the current attempt, or {@code null}. */
    BackendConnection connection;
    /** When the request head went out on the current connection (response latency, deadline). */
    long sentNanos;
    /** The server whose failed connect was already reported to passive health for this request. */
    BackendServer failureReportedFor;

    ServerChoice(Forwarder route, HttpServerExchange exchange) {
        this.route = route;
        this.backendPool = route.pool();
        this.exchange = exchange;
    }

    /** Forwarding failed: the response is Duet's own error page (affinity binds nobody). */
    @Override
    public final boolean failed() {
        return failure != ForwardFailure.NONE;
    }

    /** Ends the exchange with the error page of {@link #failure}. */
    abstract void fail();

    /** The connection of this attempt is ready: send the request on it. */
    abstract void connectionReady(BackendConnection c);

    /** Gives back the buffer the request is written from. */
    abstract void releaseOutBuffer();

    // ------------------------------------------------------------------ choosing a server and a connection

    /** Starts forwarding (dispatched right after the handler returns). */
    @Override
    public void run() {
        if (phase == START) {
            attempt();
        }
    }

    void attempt() {
        RouteAffinity affinity = route.affinity();
        BackendServer s;
        if (affinity == null) {
            s = backendPool.balancer().pick(this, excluded);
        } else {
            if (sticky == null) {
                sticky = affinity.bind(exchange, this);
            }
            switch (affinity.decide(sticky, excluded)) {
                case USE_BOUND:
                    s = sticky.bound();
                    break;
                case REFUSE:
                    refuse(affinity.refusal(sticky));
                    return;
                default:
                    s = backendPool.balancer().pick(this, affinity.balanceMask(sticky, excluded));
                    break;
            }
            sticky.serving(s);
        }
        if (s == null) {
            if (attempts == 0) {
                failure = ForwardFailure.NO_SERVER;
                backendPool.metrics().noServerAvailable().inc();
            }
            fail();
            return;
        }
        ServerLimit limit = backendPool.serverLimit();
        if (limit == null) {
            s.state().active().incrementAndGet();
        } else if (!PoolState.tryAcquire(s, limit.maxRequests())) {
            s = acquireAny(s, limit.maxRequests());
            if (s == null) {
                waitForSlot(limit);
                return;
            }
        }
        slot = s;
        proceed(s);
    }

    /** stickyServerDown: fail: the client's server is down, so the request is answered 503 and not forwarded. */
    private void refuse(String why) {
        ErrorResponses.send(exchange, ErrorId.NO_SERVER.status(), ErrorId.NO_SERVER.id(), why);
        phase = DONE;
        releaseOutBuffer();
    }

    /**
     * Another candidate with a free slot when {@code full} is at its limit, or {@code null}. Asks the balancer again
     * with the full servers excluded, so the choice keeps the algorithm's order.
     */
    private BackendServer acquireAny(BackendServer full, int max) {
        long mask = excluded | bit(full);
        for (int i = 0; i < backendPool.servers().size(); i++) {
            BackendServer c = backendPool.balancer().pick(this, mask);
            if (c == null) {
                return null;
            }
            if (PoolState.tryAcquire(c, max)) {
                return c;
            }
            mask |= bit(c);
        }
        return null;
    }

    private static long bit(BackendServer s) {
        return s.index() < 64 ? 1L << s.index() : 0;
    }

    /** Sends the request to {@code s}, whose slot this request holds. */
    void proceed(BackendServer s) {
        if (attempts > 0) {
            s.metrics().retries().inc();
        }
        attempts++;
        server = s;
        excluded |= bit(s);
        failure = ForwardFailure.NONE;
        phase = CONNECTING;
        BackendConnection c = s.connections().acquire(exchange.getIoThread());
        if (c != null) {
            connected(c);
        } else {
            s.connections().connect(exchange.getIoThread(), this, backendPool.connectTimeoutMs());
        }
    }

    /** Lets go of this request's slot on its server: to the first queued request, else released. */
    private void releaseSlot() {
        BackendServer s = slot;
        if (s == null) {
            return;
        }
        slot = null;
        ServerLimit limit = backendPool.serverLimit();
        if (limit == null) {
            s.state().active().decrementAndGet();
        } else {
            backendPool.state().slotFreed(s, limit.maxRequests());
        }
    }

    // ---- waiting for a slot (every candidate at serverLimit.maxRequests); the rare path, so it may allocate

    private void waitForSlot(ServerLimit limit) {
        PoolState pool = backendPool.state();
        QUEUE.set(this, QUEUED);
        if (!pool.enqueue(this, limit.maxQueued())) {
            QUEUE.set(this, NOT_QUEUED);
            failure = ForwardFailure.QUEUE_FULL;
            backendPool.metrics().queueFull().inc();
            fail();
            return;
        }
        phase = QUEUED_PHASE;
        backendPool.metrics().queued().inc();
        queueTimer = exchange.getIoThread().executeAfter(this::queueTimedOut, limit.queueTimeoutMs(),
                TimeUnit.MILLISECONDS);
        // A slot may have been freed between the full check and the enqueue: try once more.
        BackendServer s = backendPool.balancer().pick(this, excluded);
        if (s != null && PoolState.tryAcquire(s, limit.maxRequests())) {
            if (grant(s)) {
                pool.leave(this);
            } else {
                pool.slotFreed(s, limit.maxRequests());
            }
        }
    }

    /** Any thread: the pool hands this waiting request a slot on {@code s}. */
    @Override
    public boolean grant(BackendServer s) {
        if (!QUEUE.compareAndSet(this, QUEUED, GRANTED)) {
            return false;
        }
        if (exchange.isInIoThread()) {
            slotGranted(s);
        } else {
            exchange.getIoThread().execute(() -> slotGranted(s));
        }
        return true;
    }

    private void slotGranted(BackendServer s) {
        if (queueTimer != null) {
            queueTimer.remove();
            queueTimer = null;
        }
        slot = s;
        if (exchange.isComplete() || phase != QUEUED_PHASE) {
            releaseSlot();
            return;
        }
        proceed(s);
    }

    private void queueTimedOut() {
        queueTimer = null;
        if (!QUEUE.compareAndSet(this, QUEUED, GAVE_UP)) {
            return; // granted at the same moment: the grant task runs next
        }
        backendPool.state().leave(this);
        failure = ForwardFailure.QUEUE_TIMEOUT;
        backendPool.metrics().queueTimeouts().inc();
        fail();
    }

    @Override
    public void connected(BackendConnection c) {
        if (exchange.isComplete() || phase != CONNECTING) {
            c.release();
            return;
        }
        connection = c;
        connectionReady(c);
    }

    @Override
    public void connectFailed(boolean timedOut, IOException cause) {
        if (phase != CONNECTING) {
            return;
        }
        failure = timedOut ? ForwardFailure.CONNECT_TIMEOUT : ForwardFailure.CONNECT_FAILED;
        server.metrics().connectErrors().inc();
        route.outcomes().onConnectFailure(server);
        failureReportedFor = server;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} connect to {} failed: {}", CONNECT_FAILED, server, timedOut ? "timeout" : cause);
        }
        if (attempts <= route.retries() && Idempotent.method(exchange.getRequestMethod()) && !exchange.isComplete()) {
            if (countedActive) {
                countedActive = false; // a stale keep-alive retry counted the first connection
                server.metrics().requestFinished(0, System.nanoTime() - startNanos);
            }
            releaseSlot();
            attempt();
        } else {
            fail();
        }
    }

    /** The request no longer waits for a slot, and lets go of the one it holds (the exchange ended). */
    final void leaveQueueAndSlot() {
        if (QUEUE.get(this) == QUEUED && QUEUE.compareAndSet(this, QUEUED, GAVE_UP)) {
            backendPool.state().leave(this); // the client left while its request waited for a slot
        }
        if (queueTimer != null) {
            queueTimer.remove();
            queueTimer = null;
        }
        releaseSlot();
    }

    // ------------------------------------------------------------------ what balancers may read

    @Override
    public InetAddress clientAddress() {
        return ExchangeRequestView.clientAddress(exchange);
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String path() {
        return CanonicalPath.canonicalPath(exchange);
    }

    @Override
    public String uri() {
        return ExchangeRequestView.uri(exchange);
    }

    @Override
    public String queryParameter(String name) {
        return ExchangeRequestView.queryParameter(exchange, name);
    }

    @Override
    public String cookie(String name) {
        return ExchangeRequestView.cookie(exchange, name);
    }
}
