package io.duet.proxy.health;

import io.duet.proxy.pool.BackendServer;

/**
 * Where the forwarder reports the outcome of each request to a server, for passive outlier detection.
 *
 * <p>Both methods are called on I/O threads: they count with one atomic operation, never block and never allocate
 * on the common path. A server of a pool without outlier detection is ignored.
 */
public interface ServerOutcomes {

    /**
     * A response from {@code server} (or one the proxy made for it, e.g. 504 after a response timeout) ended with
     * {@code status}. 5xx counts as a failure, anything else from 100 to 499 as a success; 0 (no response: the client
     * went away) is ignored.
     */
    void onResponse(BackendServer server, int status);

    /** A connection to {@code server} could not be opened (refused, reset, connect timeout). */
    void onConnectFailure(BackendServer server);

    /** Reports nowhere. */
    ServerOutcomes NONE = new ServerOutcomes() {
        @Override
        public void onResponse(BackendServer server, int status) {
        }

        @Override
        public void onConnectFailure(BackendServer server) {
        }
    };
}
