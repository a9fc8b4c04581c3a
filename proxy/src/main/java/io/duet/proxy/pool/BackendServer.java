package io.duet.proxy.pool;

import io.duet.proxy.metrics.ServerMetrics;


/**
 * A server of a pool as the data plane sees it: its identity from the document, its place in the pool, and the
 * shared keep-alive connection pool to it (kept across reloads while the server does not change).
 */
public final class BackendServer {
    private final String pool;
    private final String id;
    private final int index;
    private final String host;
    private final int port;
    private final int weight;
    private final boolean backup;
    private final ServerConnections connections;
    private final ServerState state;
    private final ServerMetrics metrics;

    BackendServer(String pool, String id, int index, String host, int port, int weight, boolean backup,
                  ServerConnections connections, ServerState state, ServerMetrics metrics) {
        this.pool = pool;
        this.id = id;
        this.index = index;
        this.host = host;
        this.port = port;
        this.weight = weight;
        this.backup = backup;
        this.connections = connections;
        this.state = state;
        this.metrics = metrics;
    }

    /** Name of the pool this server belongs to. */
    public String pool() {
        return pool;
    }

    /** The stable server id from the document. */
    public String id() {
        return id;
    }

    /** Position in the pool's server list; exclusion masks use it. */
    public int index() {
        return index;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int weight() {
        return weight;
    }

    public boolean backup() {
        return backup;
    }

    /** The keep-alive connections to this server. */
    public ServerConnections connections() {
        return connections;
    }

    /** Live state (in-flight requests, availability, latency), shared by every snapshot that contains this server. */
    public ServerState state() {
        return state;
    }

    /** Metrics of this server; recorded on I/O threads. */
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return pool + "/" + id + "(" + host + ":" + port + ")";
    }
}
