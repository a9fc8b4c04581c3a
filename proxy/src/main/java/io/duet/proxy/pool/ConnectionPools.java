package io.duet.proxy.pool;

import io.duet.config.BackendTls;
import javax.net.ssl.SSLContext;

import io.duet.config.Pool;
import io.duet.config.Resolve;
import io.duet.config.Server;
import io.duet.proxy.metrics.ProxyMetrics;
import io.duet.proxy.resolve.HostResolver;
import io.duet.proxy.resolve.NameResolution;
import io.duet.proxy.resolve.ServerAddress;
import io.duet.proxy.resolve.SystemHostResolver;
import io.undertow.connector.ByteBufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.duet.proxy.message.ProxyMessage.SERVER_CONNECTIONS_CLOSED;

/**
 * Owns the keep-alive connection pools to backend servers across reloads. A server whose address, port and
 * connection settings did not change keeps its pool (and its open connections) in the next snapshot; pools of
 * servers that left the document are closed gracefully (idle connections now, busy ones when their request ends).
 * Servers given by host name get their address from {@link NameResolution}, which this class owns.
 *
 * <p>Thread-safety: {@link #build}, {@link #awaitAddresses} and {@link #retain} are called by the single reload
 * thread.
 */
public final class ConnectionPools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPools.class);

    /** {@code address} is null for a server given by IP address, else the address of one server of a name. */
    private record Key(String host, int port, int maxConnections, BackendTls tls, ServerAddress address) {
    }

    private record Entry(ServerConnections pool) {
    }

    /** A server's live state is kept while its pool, id, address and port stay the same. */
    private record StateKey(String pool, String id, String host, int port) {
    }

    private final int ioThreads;
    static final int READ_BUFFER_SIZE = 64 * 1024;
    static final int MAX_POOLED_READ_BUFFERS = 256;
    static final int READ_BUFFERS_PER_THREAD = 8;
    private final ByteBufferPool readBuffers = new BufferPool(READ_BUFFER_SIZE, true, READ_BUFFERS_PER_THREAD,
            MAX_POOLED_READ_BUFFERS);
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<StateKey, ServerState> serverStates = new HashMap<>();
    private final Map<String, PoolState> poolStates = new HashMap<>();

    private final NameResolution names;
    private final BalancerFactory balancers;

    /**
     * @param ioThreads the I/O threads of the worker that will use the connections
     * @param balancers builds each pool's balancer ({@code Balancers::of})
     */
    public ConnectionPools(int ioThreads, BalancerFactory balancers) {
        this(ioThreads, SystemHostResolver.INSTANCE, balancers);
    }

    /**
     * @param ioThreads the I/O threads of the worker that will use the connections
     * @param resolver  looks up the servers given by host name (on the resolver threads)
     * @param balancers builds each pool's balancer ({@code Balancers::of})
     */
    public ConnectionPools(int ioThreads, HostResolver resolver, BalancerFactory balancers) {
        this.ioThreads = ioThreads;
        this.names = new NameResolution(resolver);
        this.balancers = balancers;
    }

    /**
     * Buffers the forwarder reads server responses into: 64 KiB, so a response head and a body of a few tens of KiB
     * arrive in one read and leave in one write (16 KiB buffers took two of each for a 16 KiB page). Bounded: at most
     * {@link #READ_BUFFERS_PER_THREAD} per I/O thread and {@link #MAX_POOLED_READ_BUFFERS} shared are kept for reuse.
     * Any thread.
     */
    public ByteBufferPool readBuffers() {
        return readBuffers;
    }

    /** Compiles a pool from the document, reusing the connection pools of unchanged servers. */
    public BackendPool build(Pool spec, long defaultConnectTimeoutMs, ProxyMetrics metrics) {
        if (spec.tls().enabled() && !spec.tls().verify()) {
            BackendTlsContext.warnUnverified(spec.name());
        }
        PoolState poolState = poolStates.computeIfAbsent(spec.name(), k -> new PoolState());
        List<BackendServer> servers = new ArrayList<>(spec.servers().size());
        int index = 0;
        for (Server s : spec.servers()) {
            List<ServerAddress> addresses = NameResolution.literal(s.address()).isPresent() ? null
                    : names.addresses(spec.name(), s.id(), s.address(), s.port(), spec.resolveSettings());
            int n = addresses == null ? 1 : addresses.size();
            for (int i = 0; i < n; i++) {
                String id = n == 1 ? s.id() : Resolve.slotId(s.id(), i + 1);
                Key key = new Key(s.address(), s.port(), spec.maxConnectionsPerServer(), spec.tls(),
                        addresses == null ? null : addresses.get(i));
                Entry e = entries.computeIfAbsent(key, this::open);
                servers.add(new BackendServer(spec.name(), id, index++, s, e.pool(),
                        serverStates.computeIfAbsent(new StateKey(spec.name(), id, s.address(), s.port()),
                                k -> new ServerState(poolState)), metrics.forServer(spec.name(), id)));
            }
        }
        long connectTimeout = spec.connectTimeoutMs() != null ? spec.connectTimeoutMs() : defaultConnectTimeoutMs;
        return new BackendPool(spec.name(), servers, balancers.of(spec, servers, poolState), connectTimeout,
                metrics.forPool(spec.name()), poolState, spec.serverLimit());
    }

    /**
     * Waits (at most {@code NameResolution.FIRST_LOOKUP_WAIT_MS}) for the first lookups of names the pools built since
     * the last call brought in, so a new server given by name is published with its address. Reload thread.
     */
    public void awaitAddresses() {
        names.awaitFirstLookups();
    }

    /** Closes the connection pools no pool in {@code inUse} refers to, and stops following their names. */
    public void retain(Iterable<BackendPool> inUse) {
        Set<ServerConnections> keep = new HashSet<>();
        Set<ServerAddress> keepAddresses = new HashSet<>();
        Set<ServerState> keepStates = new HashSet<>();
        Set<String> keepPools = new HashSet<>();
        for (BackendPool p : inUse) {
            keepPools.add(p.name());
            for (BackendServer s : p.servers()) {
                keep.add(s.connections());
                keepStates.add(s.state());
                keepAddresses.add(s.address());
            }
        }
        names.retain(keepAddresses);
        serverStates.values().retainAll(keepStates);
        Set<BackendTls> keepTls = new HashSet<>();
        entries.forEach((k, e) -> {
            if (keep.contains(e.pool())) {
                keepTls.add(k.tls());
            }
        });
        tlsContexts.keySet().retainAll(keepTls);
        poolStates.keySet().retainAll(keepPools);
        entries.entrySet().removeIf(e -> {
            if (keep.contains(e.getValue().pool())) {
                return false;
            }
            LOG.info("{} closing connections to {}:{}: no longer in the configuration", SERVER_CONNECTIONS_CLOSED,
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
        OptionMap options = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.KEEP_ALIVE, true)
                .getMap();
        BackendTlsContext tls = null;
        if (key.tls().enabled()) {
            SSLContext context = tlsContexts.computeIfAbsent(key.tls(), BackendTlsContext::context);
            tls = BackendTlsContext.of(context, key.tls(), key.host(), key.port());
        }
        ServerAddress address = key.address();
        if (address == null) {
            InetAddress ip = NameResolution.literal(key.host()).orElseThrow(); // keys without an address are literals
            address = ServerAddress.literal(key.host(), ip, key.port());
        }
        return new Entry(new ServerConnections(address, key.maxConnections(), readBuffers, ioThreads, options, tls));
    }

    /** One SSLContext (and client session cache) per distinct pool TLS setting, kept while a pool uses it. */
    private final Map<BackendTls, SSLContext> tlsContexts = new HashMap<>();

    @Override
    public void close() {
        names.close();
        for (Entry e : entries.values()) {
            e.pool().close();
        }
        entries.clear();
        readBuffers.close();
    }
}
