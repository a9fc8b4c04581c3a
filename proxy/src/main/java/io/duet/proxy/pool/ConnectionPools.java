package io.duet.proxy.pool;

import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.proxy.balance.Balancers;
import io.duet.proxy.metrics.ProxyMetrics;
import io.undertow.client.UndertowClient;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Owns the keep-alive connection pools to backend servers across reloads. A server whose address, port and
 * connection settings did not change keeps its pool (and its open connections) in the next snapshot; pools of
 * servers that left the document are closed gracefully (idle connections now, busy ones when their request ends).
 *
 * <p>Thread-safety: {@link #build} and {@link #retain} are called by the single reload thread.
 */
public final class ConnectionPools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPools.class);
    /** Idle connections to a server are closed after this long. */
    static final long IDLE_TTL_MS = 60_000;
    /** Requests that may wait for a connection to one server on one I/O thread. */
    static final int MAX_QUEUE = 10_000;

    private record Key(String host, int port, int maxConnections) {
    }

    private record Entry(ProxyConnectionPool pool) {
    }

    /** A server's live state is kept while its pool, id, address and port stay the same. */
    private record StateKey(String pool, String id, String host, int port) {
    }

    private final UndertowClient client = UndertowClient.getInstance();
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<StateKey, ServerState> serverStates = new HashMap<>();
    private final Map<String, PoolState> poolStates = new HashMap<>();

    /** Compiles a pool from the document, reusing the connection pools of unchanged servers. */
    public BackendPool build(Pool spec, long defaultConnectTimeoutMs, ProxyMetrics metrics) {
        PoolState poolState = poolStates.computeIfAbsent(spec.name(), k -> new PoolState());
        List<BackendServer> servers = new ArrayList<>(spec.servers().size());
        int index = 0;
        for (Server s : spec.servers()) {
            Key key = new Key(s.address(), s.port(), spec.maxConnectionsPerServer());
            Entry e = entries.computeIfAbsent(key, this::open);
            servers.add(new BackendServer(spec.name(), s.id(), index++, s.address(), s.port(), s.weight(), s.backup(),
                    e.pool(), serverStates.computeIfAbsent(new StateKey(spec.name(), s.id(), s.address(), s.port()),
                    k -> new ServerState(poolState)), metrics.forServer(spec.name(), s.id())));
        }
        long connectTimeout = spec.connectTimeoutMs() != null ? spec.connectTimeoutMs() : defaultConnectTimeoutMs;
        return new BackendPool(spec.name(), servers, Balancers.of(spec, servers, poolState), connectTimeout,
                metrics.forPool(spec.name()), poolState);
    }

    /** Closes the connection pools no pool in {@code inUse} refers to. */
    public void retain(Iterable<BackendPool> inUse) {
        Set<ProxyConnectionPool> keep = new HashSet<>();
        Set<ServerState> keepStates = new HashSet<>();
        Set<String> keepPools = new HashSet<>();
        for (BackendPool p : inUse) {
            keepPools.add(p.name());
            for (BackendServer s : p.servers()) {
                keep.add(s.connections());
                keepStates.add(s.state());
            }
        }
        serverStates.values().retainAll(keepStates);
        poolStates.keySet().retainAll(keepPools);
        entries.entrySet().removeIf(e -> {
            if (keep.contains(e.getValue().pool())) {
                return false;
            }
            LOG.info("DUET-PROXY-0101 closing connections to {}:{}: no longer in the configuration",
                    e.getKey().host(), e.getKey().port());
            e.getValue().pool().close();
            return true;
        });
    }

    /** Open connection pools (for tests and metrics). */
    public int size() {
        return entries.size();
    }

    private Entry open(Key key) {
        URI uri = URI.create("http://" + hostForUri(key.host()) + ":" + key.port());
        OptionMap options = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.KEEP_ALIVE, true)
                .getMap();
        ProxyConnectionPool pool = new ProxyConnectionPool(new Settings(key.maxConnections()), uri, client, options);
        return new Entry(pool);
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) {
            e.pool().close();
        }
        entries.clear();
    }

    /**
     * Connection settings of one server. Availability is not decided here: health checks and passive outlier
     * detection (the balancing issue) own that; a failed connect is reported to the caller and retried elsewhere.
     */
    private static final class Settings implements ConnectionPoolManager {
        private final int maxConnections;

        Settings(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        @Override
        public int getProblemServerRetry() {
            return -1;
        }

        @Override
        public int getMaxConnections() {
            return maxConnections;
        }

        @Override
        public int getMaxCachedConnections() {
            return maxConnections;
        }

        @Override
        public int getSMaxConnections() {
            return 0;
        }

        @Override
        public long getTtl() {
            return IDLE_TTL_MS;
        }

        @Override
        public int getMaxQueueSize() {
            return MAX_QUEUE;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public boolean handleError() {
            return true;
        }

        @Override
        public boolean clearError() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && s.maxConnections == maxConnections;
        }

        @Override
        public int hashCode() {
            return Objects.hash(maxConnections);
        }
    }
}
