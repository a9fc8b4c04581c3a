package io.duet.proxy.forward;

import io.duet.proxy.health.ServerOutcomes;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import org.xnio.XnioExecutor;

/**
 * What happened while forwarding one exchange: attempts, the servers tried, the failure if any. Lives as an
 * exchange attachment; touched only by the exchange's I/O thread.
 */
public final class ForwardState {
    public static final AttachmentKey<ForwardState> KEY = AttachmentKey.create(ForwardState.class);

    /** Why forwarding failed, which decides the status and error id the client gets. */
    public enum Failure {
        NONE, NO_SERVER, CONNECT_FAILED, CONNECT_TIMEOUT, QUEUE_FULL, RESPONSE_TIMEOUT, NOT_RETRIED
    }

    int attempts;
    long excluded;
    BackendServer server;
    ProxyConnection connection;
    XnioExecutor.Key responseTimer;
    boolean countedActive;
    Failure failure = Failure.NONE;
    final BackendPool backendPool;
    final long startNanos = System.nanoTime();
    final ServerOutcomes outcomes;

    ForwardState(BackendPool pool, ServerOutcomes outcomes) {
        this.backendPool = pool;
        this.outcomes = outcomes;
    }

    /** The server of the last attempt, or {@code null}. */
    public BackendServer server() {
        return server;
    }

    public String pool() {
        return backendPool.name();
    }

    public Failure failure() {
        return failure;
    }

    /** Connection attempts made (1 without retry). */
    public int attempts() {
        return attempts;
    }
}
