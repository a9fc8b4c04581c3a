package io.duet.proxy.forward;

import io.duet.proxy.pool.BackendServer;

/**
 * Why forwarding failed, which decides the status the client gets (its id is {@code ErrorId.idFor(status)}) and the
 * message of the error page: 503 {@code DUET-PROXY-0503} (no server is up, or the connection queue is full or timed
 * out), 504 {@code DUET-PROXY-0504} (connect or response timeout), 502 {@code DUET-PROXY-0502} (the server failed
 * before answering). Immutable.
 */
public enum ForwardFailure {
    NONE, NO_SERVER, CONNECT_FAILED, CONNECT_TIMEOUT, QUEUE_FULL, QUEUE_TIMEOUT, RESPONSE_TIMEOUT, NOT_RETRIED;

    /** The status of the error page for this failure. */
    public int status() {
        switch (this) {
            case NO_SERVER:
            case QUEUE_FULL:
            case QUEUE_TIMEOUT:
                return 503;
            case CONNECT_TIMEOUT:
            case RESPONSE_TIMEOUT:
                return 504;
            default:
                return 502;
        }
    }

    /** True for the failures that mean no server could take the request (503 of Duet's own). */
    public boolean noServer() {
        return this == NO_SERVER || this == QUEUE_FULL || this == QUEUE_TIMEOUT;
    }

    /**
     * The message of the error page.
     *
     * @param pool   the pool's name
     * @param server the server of the last attempt, or {@code null}
     */
    public String message(String pool, BackendServer server) {
        String last = server == null ? "" : " (last tried: server '" + server.id() + "')";
        switch (this) {
            case NO_SERVER:
                return "pool '" + pool + "': no server is up";
            case QUEUE_FULL:
                return "pool '" + pool + "': every server is at its request limit and the queue is full";
            case QUEUE_TIMEOUT:
                return "pool '" + pool + "': every server stayed at its request limit for the whole queue timeout";
            case CONNECT_TIMEOUT:
                return "pool '" + pool + "': connecting to the server timed out" + last;
            case RESPONSE_TIMEOUT:
                return "pool '" + pool + "': the server did not answer in time" + last;
            default:
                return "pool '" + pool + "': the server failed before answering" + last;
        }
    }
}
