package io.duet.proxy;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.AccessLog;
import io.duet.config.Limits;
import io.duet.proxy.accesslog.AccessLogWriter;
import io.duet.config.TlsCertificate;
import io.duet.proxy.edge.EdgeListener;
import io.duet.proxy.tls.CertificateLoader;
import io.duet.proxy.tls.CertificateExpiry;
import io.duet.proxy.tls.LoadedCertificate;
import io.duet.proxy.tls.TlsEndpoint;
import io.duet.proxy.health.HealthRegistry;
import io.duet.proxy.metrics.HistorySampler;
import io.duet.proxy.metrics.MetricBundle;
import io.duet.proxy.metrics.MetricsHistory;
import io.duet.proxy.accesslog.AccessTap;
import io.duet.proxy.metrics.ProxyMetrics;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.BufferPool;
import io.duet.proxy.balance.Balancers;
import io.duet.proxy.pool.ConnectionPools;
import io.duet.proxy.pool.ServerState;
import io.duet.proxy.runtime.EdgeMetricsEvents;
import io.duet.proxy.runtime.RootHandler;
import io.duet.proxy.runtime.RuntimeSnapshot;
import io.duet.proxy.runtime.SnapshotCompiler;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import io.duet.tls.CertifiedKey;
import io.duet.tls.NodeCertificate;
import io.duet.tls.SelfSigned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.duet.proxy.message.ProxyMessage.LISTENER_ACCEPTING;
import static io.duet.proxy.message.ProxyMessage.LISTENER_CLOSED;
import static io.duet.proxy.message.ProxyMessage.LISTENER_REBIND_FAILED;
import static io.duet.proxy.message.ProxyMessage.REVISION_APPLIED;
import static io.duet.proxy.message.ProxyMessage.SELF_SIGNED_ISSUED;
import static io.duet.proxy.message.ProxyMessage.STOPPED;
import static io.duet.proxy.message.ProxyMessage.WORKER_START_FAILED;

/**
 * The data plane: the listeners and everything behind them. The public face of the proxy module.
 *
 * <p>Requests take the current {@link RuntimeSnapshot} once and keep it to the end; {@link #apply} compiles a new
 * one and swaps it in atomically, so a reload drops nothing. Thread-safety: {@link #apply} and {@link #close} may
 * be called from any non-I/O thread; they are serialised.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** I/O buffer size: a typical request head and a 16 KiB body chunk fit in one buffer. */
    static final int BUFFER_SIZE = 16 * 1024;
    /** Free buffers kept for reuse in the shared queue (16 MiB); more are allocated while needed and released
     * afterwards. */
    static final int MAX_POOLED_BUFFERS = 1024;
    /** Free buffers each I/O thread keeps for itself (1 MiB): with 50 busy keep-alive clients, 32 ran dry. */
    static final int BUFFERS_PER_THREAD = 64;

    private final DataPlaneOptions options;
    private final XnioWorker worker;
    private final ByteBufferPool buffers;
    private final ConnectionPools connectionPools;
    private final HealthRegistry health = new HealthRegistry();
    /** Connections to the document's VIPs, drained before a planned move of one. */
    private final io.duet.proxy.edge.AddressDrains drains = new io.duet.proxy.edge.AddressDrains();
    private final ProxyMetrics metrics;
    private final SnapshotCompiler compiler;
    private final AtomicReference<RuntimeSnapshot> current = new AtomicReference<>();
    private final Map<String, BoundListener> listeners = new LinkedHashMap<>();
    private AccessLogWriter accessLog;
    private MetricsHistory history;
    private final AccessTap accessTap = new AccessTap(AccessTap.DEFAULT_CAPACITY, System::currentTimeMillis);
    private HistorySampler historySampler;
    private AccessLog accessLogSpec;
    private boolean closed;
    /** Parsed certificates of the revision in force, by their document form (an unchanged one is not re-parsed). */
    private Map<TlsCertificate, LoadedCertificate> certificateCache = Map.of();
    /** The node's self-signed certificate, once needed. */
    private LoadedCertificate nodeCertificate;
    /** Warns at 30, 14 and 7 days before a served certificate expires (DUET-PROXY-0131). */
    private final CertificateExpiry expiry = new CertificateExpiry(Clock.systemUTC());

    /** A bound listener; {@code tls} is null for plain HTTP. */
    private record BoundListener(Listener spec, Limits limits, EdgeListener edge, TlsEndpoint tls) {
    }

    private DataPlane(DataPlaneOptions options) throws IOException {
        this.options = options;
        int io = options.ioThreads() > 0 ? options.ioThreads() : Math.max(1, Runtime.getRuntime().availableProcessors());
        this.worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "duet")
                .set(Options.WORKER_IO_THREADS, io)
                .set(Options.WORKER_TASK_CORE_THREADS, 2)
                .set(Options.WORKER_TASK_MAX_THREADS, 8)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        // Duet's own pool, not Undertow's DefaultByteBufferPool: that one either polls a shared queue on every
        // allocate (no thread-local cache) or looks up a synchronized WeakHashMap on every allocate and free (with
        // one), about 7% of the I/O thread's time in JFR. BufferPool keeps a lock-free stack per I/O thread and a
        // bounded shared queue, so memory stays bounded and the common allocate/free touches nothing shared.
        this.buffers = new BufferPool(BUFFER_SIZE, true, BUFFERS_PER_THREAD, MAX_POOLED_BUFFERS);
        this.connectionPools = new ConnectionPools(io, options.resolver(), Balancers::of);
        this.metrics = new ProxyMetrics(options.metrics());
        this.compiler = new SnapshotCompiler(connectionPools, metrics, options.nodeName(), health, options.keys());
        // Drain reports count the clients affinity still binds to a server (0 for pools without affinity).
        health.stickyClients((pool, serverId) -> compiler.affinityTables().stickyClients(pool)
                .map(counts -> counts.getOrDefault(serverId, 0)).orElse(0));
    }

    /** Starts listeners for a valid document. Blocks until every listener is bound. */
    public static DataPlane start(DuetConfig config, DataPlaneOptions options) {
        DataPlane dp;
        try {
            dp = new DataPlane(options);
        } catch (IOException e) {
            throw new UncheckedIOException(WORKER_START_FAILED + " cannot start the I/O worker: " + e.getMessage(), e);
        }
        try {
            dp.apply(config);
        } catch (RuntimeException e) {
            dp.close();
            throw e;
        }
        return dp;
    }

    /**
     * Applies a new valid document without dropping anything: compiles it on the calling thread, then swaps it in
     * atomically. Listeners whose address changed are rebound; connections to unchanged servers are kept.
     */
    public synchronized void apply(DuetConfig config) {
        if (closed) {
            throw new IllegalStateException("data plane is closed");
        }
        drains.track(vipAddresses(config));
        AccessLogWriter oldLog = accessLog;
        AccessLogWriter newLog = accessLog;
        Map<String, BoundListener> added = new LinkedHashMap<>();
        RuntimeSnapshot next;
        Map<TlsCertificate, LoadedCertificate> parsed = loadCertificates(config);
        Map<String, LoadedCertificate> loaded = new HashMap<>();
        parsed.forEach((spec, c) -> loaded.put(spec.name(), c));
        if (needsNodeCertificate(config)) {
            loaded.put(CertificateLoader.SELF_SIGNED, nodeCertificate());
        }
        try {
            if (!Objects.equals(config.accessLog(), accessLogSpec)) {
                newLog = config.accessLog().enabled()
                        ? AccessLogWriter.open(config.accessLog(), options.dataDir(), options.metrics()) : null;
            }
            next = compiler.compile(config, newLog);
            // New listener names are bound before anything changes: a port in use rejects the whole revision.
            for (Listener l : config.listeners()) {
                if (!listeners.containsKey(l.name())) {
                    added.put(l.name(), bind(l, config.limits(), loaded));
                }
            }
        } catch (RuntimeException e) {
            added.values().forEach(l -> l.edge().close());
            if (newLog != oldLog && newLog != null) {
                newLog.close();
            }
            connectionPools.retain(current.get() == null ? List.of() : current.get().pools().values());
            throw e;
        }
        health.update(next.pools().values(), config); // before publishing: new servers start in their admin state
        RuntimeSnapshot previous = current.getAndSet(next);
        accessLog = newLog;
        accessLogSpec = config.accessLog();
        if (oldLog != null && oldLog != newLog) {
            oldLog.close(); // requests still on the old snapshot drop their line; close() drains what was queued
        }
        connectionPools.retain(next.pools().values());
        replaceChangedListeners(config, loaded);
        listeners.putAll(added);
        certificateCache = parsed;
        expiry.watch(loaded.values());
        List<MetricBundle> keep = new ArrayList<>(next.metrics());
        for (BoundListener l : listeners.values()) {
            keep.add(metrics.forListener(l.spec().name()));
        }
        for (LoadedCertificate c : loaded.values()) {
            var m = metrics.forCertificate(c.name());
            m.notAfter(c.notAfter());
            keep.add(m);
        }
        metrics.retainOnly(keep);
        if (previous != null) {
            LOG.info("{} configuration revision {} applied (was {})",
                    REVISION_APPLIED, next.revision(), previous.revision());
        }
    }

    /**
     * Closes listeners that left the document and rebinds those whose address, port, PROXY protocol setting or
     * limits changed (the same port cannot be bound twice, so the old one closes first; should the new bind fail,
     * the old settings are bound again and the failure is logged).
     */
    private void replaceChangedListeners(DuetConfig config, Map<String, LoadedCertificate> loaded) {
        Map<String, Listener> wanted = new HashMap<>();
        for (Listener l : config.listeners()) {
            wanted.put(l.name(), l);
        }
        for (String name : new ArrayList<>(listeners.keySet())) {
            BoundListener old = listeners.get(name);
            Listener w = wanted.get(name);
            if (w != null && sameSocket(old, w, config.limits())) {
                if (old.tls() != null) {
                    old.tls().update(w.tls(), loaded); // certificate rotation: new handshakes only, no rebind
                }
                listeners.put(name, new BoundListener(w, old.limits(), old.edge(), old.tls()));
                continue;
            }
            old.edge().close();
            listeners.remove(name);
            if (w == null) {
                LOG.info("{} listener '{}' on {} closed: removed from the configuration", LISTENER_CLOSED, name,
                        old.edge().address());
                continue;
            }
            try {
                listeners.put(name, bind(w, config.limits(), loaded));
            } catch (RuntimeException e) {
                LOG.error("{} listener '{}' could not be rebound with its new settings ({}); "
                        + "keeping its previous settings", LISTENER_REBIND_FAILED, name, e.getMessage());
                Map<String, LoadedCertificate> previous = new HashMap<>();
                certificateCache.values().forEach(c -> previous.put(c.name(), c));
                listeners.put(name, bind(old.spec(), old.limits(), previous));
            }
        }
    }

    /** True when a listener keeps its socket: only its certificates or HSTS (or nothing) changed. */
    private static boolean sameSocket(BoundListener old, Listener w, Limits limits) {
        Listener o = old.spec();
        return o.address().equals(w.address()) && Objects.equals(o.port(), w.port())
                && o.protocol().equals(w.protocol()) && o.proxyProtocol().equals(w.proxyProtocol())
                && limits.equals(old.limits())
                && (!w.https() || !TlsEndpoint.needsRebind(o.tls(), w.tls()));
    }

    private BoundListener bind(Listener l, Limits limits, Map<String, LoadedCertificate> loaded) {
        TlsEndpoint tls = l.https() ? TlsEndpoint.create(worker.getXnio(), l.tls(), loaded) : null;
        RootHandler root = new RootHandler(current::get, l.name(), tls == null ? TlsEndpoint.PLAIN_GATE : tls.gate(),
                accessTap);
        EdgeListener edge = EdgeListener.bind(worker, buffers, l, limits,
                new EdgeMetricsEvents(metrics.forListener(l.name())), root, tls == null ? null : tls.edgeTls(),
                drains);
        LOG.info("{} listener '{}' accepting on {}{}", LISTENER_ACCEPTING, l.name(), edge.address(),
                tls == null ? "" : " (TLS, profile " + l.tls().profile() + (l.tls().http2() ? ", h2" : "") + ")");
        return new BoundListener(l, limits, edge, tls);
    }

    /**
     * Parses every certificate an https listener names (unchanged ones come from the cache), before anything of
     * the revision takes effect; logs DUET-PROXY-0131 for one that expires within 30 days.
     *
     * @throws IllegalArgumentException (DUET-PROXY-0130) when one does not load; the revision is not applied
     */
    private Map<TlsCertificate, LoadedCertificate> loadCertificates(DuetConfig config) {
        Map<TlsCertificate, LoadedCertificate> out = new HashMap<>();
        for (Listener l : config.listeners()) {
            if (!l.https() || l.tls() == null) {
                continue;
            }
            for (String name : l.tls().certificates()) {
                TlsCertificate spec = config.certificate(name);
                if (spec == null || out.containsKey(spec)) {
                    continue;
                }
                LoadedCertificate c = certificateCache.get(spec);
                if (c == null) {
                    c = CertificateLoader.load(spec, options.keys(), Clock.systemUTC());
                }
                out.put(spec, c);
            }
        }
        return out;
    }

    private static boolean needsNodeCertificate(DuetConfig config) {
        for (Listener l : config.listeners()) {
            if (l.https() && l.tls() != null && l.tls().certificates().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The node's self-signed certificate: the one the appliance passed, else one issued in memory once. */
    private LoadedCertificate nodeCertificate() {
        if (nodeCertificate == null) {
            CertifiedKey c = options.nodeCertificate();
            if (c == null) {
                c = SelfSigned.issue(List.of(options.nodeName(), "localhost", "127.0.0.1", "::1"),
                        NodeCertificate.VALIDITY, Clock.systemUTC());
                LOG.info("{} issued an in-memory self-signed certificate for {} (no node certificate "
                        + "was configured)", SELF_SIGNED_ISSUED, options.nodeName());
            }
            nodeCertificate = CertificateLoader.of(CertificateLoader.SELF_SIGNED, c);
        }
        return nodeCertificate;
    }

    /** The bound address of a listener (its real port when the document said 0). */
    public synchronized InetSocketAddress address(String listenerName) {
        BoundListener l = listeners.get(listenerName);
        if (l == null) {
            throw new IllegalArgumentException("no listener named '" + listenerName + "'");
        }
        return l.edge().address();
    }

    /** The revision of the document in force. */
    public long revision() {
        return current.get().revision();
    }

    /**
     * Sticky clients per server id of a pool with session affinity (0 for servers with none), so an operator can
     * tell when a draining server is free of them; empty when the pool does not exist or has no affinity. Walks the
     * pool's affinity table: call it off the I/O threads.
     */
    public Optional<Map<String, Integer>> stickyClients(String pool) {
        return compiler.affinityTables().stickyClients(pool);
    }

    /**
     * The node's rate limits: their status and top refused keys for the admin API, and the pair's seam (shares,
     * admissions to report, the peer's admissions to charge). Any thread off the I/O threads.
     */
    public io.duet.proxy.ratelimit.RateLimits rateLimits() {
        return compiler.rateLimits();
    }

    /** The live state of a server of the current snapshot (health, drain, in-flight requests), or empty. */
    public Optional<ServerState> serverState(String pool, String serverId) {
        RuntimeSnapshot s = current.get();
        BackendPool p = s == null ? null : s.pools().get(pool);
        if (p == null) {
            return Optional.empty();
        }
        return p.servers().stream().filter(b -> b.id().equals(serverId)).map(BackendServer::state).findFirst();
    }

    /** Connections open now from this node to a server of the current snapshot (busy and idle), or empty. */
    public Optional<Integer> openConnections(String pool, String serverId) {
        RuntimeSnapshot s = current.get();
        BackendPool p = s == null ? null : s.pools().get(pool);
        if (p == null) {
            return Optional.empty();
        }
        return p.servers().stream().filter(b -> b.id().equals(serverId)).map(b -> b.connections().open()).findFirst();
    }

    /** Requests of a pool waiting for a server slot now ({@code serverLimit}), or empty for an unknown pool. */
    public Optional<Integer> queuedRequests(String pool) {
        RuntimeSnapshot s = current.get();
        BackendPool p = s == null ? null : s.pools().get(pool);
        return p == null ? Optional.empty() : Optional.of(p.state().queued());
    }

    public MetricRegistry metrics() {
        return options.metrics();
    }

    /**
     * Starts keeping the recent traffic of every pool, route and server ({@link MetricsHistory}, sampled every
     * {@code periodMillis} on a thread of its own until {@link #close}); at most once.
     */
    public synchronized MetricsHistory startHistory(long periodMillis) {
        if (closed || history != null) {
            throw new IllegalStateException(closed ? "data plane is closed" : "the history is kept already");
        }
        history = new MetricsHistory(metrics, Clock.systemUTC(), periodMillis, MetricsHistory.DEFAULT_CAPACITY,
                MetricsHistory.DEFAULT_MAX_SERIES);
        historySampler = HistorySampler.start(history);
        return history;
    }

    /**
     * The recent access records for a live tail, filled on every listener while someone watches (whether or not the
     * access log is on). Any thread.
     */
    public AccessTap accessTap() {
        return accessTap;
    }

    /** Every server's health: state, reason, last checks, active requests (for the admin UI). Any thread. */
    public HealthRegistry health() {
        return health;
    }

    /**
     * Drains the connections to a VIP before it moves to another node: responses on it close their connections,
     * idle keep-alive connections are closed, and the future completes when none is left or after {@code maxMs}
     * (the rest cut). The caller holds back new connections to the address meanwhile. Any thread.
     */
    public java.util.concurrent.CompletableFuture<io.duet.proxy.edge.AddressDrains.Result> drain(String address,
                                                                                             long maxMs) {
        return drains.drain(address, maxMs);
    }

    /** Ends a drain when the VIP stays after all (connections keep alive again). */
    public void undrain(String address) {
        drains.undrain(address);
    }

    /** Connections open now to a VIP of the document. */
    public int vipConnections(String address) {
        return drains.connections(address);
    }

    private static java.util.Set<java.net.InetAddress> vipAddresses(DuetConfig config) {
        java.util.Set<java.net.InetAddress> out = new java.util.HashSet<>();
        for (io.duet.config.Vip v : config.vips()) {
            if (v != null && v.address() != null) {
                try {
                    out.add(java.net.InetAddress.getByName(v.address())); // validated IP literals: no lookup
                } catch (java.net.UnknownHostException e) {
                    LOG.debug("VIP {} is not an address; not tracked for draining", v.address());
                }
            }
        }
        return out;
    }

    /** Stops the listeners, lets in-flight requests finish for a short grace time, closes backend connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (historySampler != null) {
            historySampler.close();
        }
        drains.close();
        for (BoundListener l : listeners.values()) {
            l.edge().close();
        }
        listeners.clear();
        health.close();
        expiry.close();
        connectionPools.close();
        if (accessLog != null) {
            accessLog.close();
            accessLog = null;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
        LOG.info("{} data plane stopped", STOPPED);
    }
}
