package io.duet.proxy.pool;

import io.duet.config.Server;
import io.duet.proxy.metrics.ServerMetrics;
import io.duet.proxy.resolve.ServerAddress;


/**
 * A server of a pool as the data plane sees it: its identity from the document, its place in the pool, its current
 * address and the shared keep-alive connection pool to it (kept across reloads while the server does not change). A
 * document server given by a host name that expands to several addresses ({@code resolve.maxAddresses}) is several
 * of these, {@code id#1} to {@code id#N}, each with its own address, connections, state and health.
 */
public final class BackendServer {
    private final String pool;
    private final String id;
    private final int index;
    private final String host;
    private final int port;
    private final int weight;
    private final boolean backup;
    private final Server spec;
    private final ServerConnections connections;
    private final ServerState state;
    private final ServerMetrics metrics;

    BackendServer(String pool, String id, int index, Server spec, ServerConnections connections, ServerState state,
                  ServerMetrics metrics) {
        this.pool = pool;
        this.id = id;
        this.index = index;
        this.host = spec.address();
        this.port = spec.port();
        this.weight = spec.weight();
        this.backup = spec.backup();
        this.spec = spec;
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

    /** The address as the document gives it: an IP address or a host name (see {@link #address()}). */
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

    /** The document's entry for this server (shared by the servers a name expands to). */
    public Server spec() {
        return spec;
    }

    /** Where this server is now: what new connections and active health checks use. */
    public ServerAddress address() {
        return connections.address();
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
