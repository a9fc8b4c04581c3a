package io.duet.appliance.node;

import com.codahale.metrics.MetricRegistry;
import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.Causes;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.pair.ClusterDuties;
import io.duet.appliance.pair.ClusterWiring;
import io.duet.cluster.membership.JoinService;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Listener;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.FileConfigStore;
import io.duet.config.store.RevisionConflictException;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.proxy.metrics.JmxExposure;
import io.duet.proxy.metrics.ManagementServer;
import io.duet.tls.CertifiedKey;
import io.duet.tls.KeyVault;
import io.duet.tls.NodeCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.duet.appliance.bootstrap.ApplianceMessage.APPLY_FAILED;

/**
 * One running Duet node: the config store, the data plane fed by it, the management server and, with
 * {@code --demo}, the demo backends. Started in that order and stopped in reverse.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} may be called from any thread (close also from the shutdown
 * hook) and are idempotent; committed documents arrive on the store's thread.
 */
public final class Node implements AutoCloseable {
    static final String IO_FAILURE = ApplianceMessage.IO_FAILURE.id();
    static final String INVALID_DOCUMENT = ApplianceMessage.INVALID_DOCUMENT.id();
    static final String LISTENER_BIND = ApplianceMessage.LISTENER_BIND.id();
    static final String MANAGEMENT_BIND = ApplianceMessage.MANAGEMENT_BIND.id();
    static final String DATA_PLANE_FAILED = ApplianceMessage.DATA_PLANE_FAILED.id();
    static final String DEMO_FAILED = ApplianceMessage.DEMO_FAILED.id();
    static final String TLS_MATERIAL = ApplianceMessage.TLS_MATERIAL.id();
    static final String ADMIN_BIND = ApplianceMessage.ADMIN_BIND.id();

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeBootstrap bootstrap;
    private final Path configFile;
    private final DemoBackends demo;
    private final ConfigStore store;
    private final DataPlane dataPlane;
    private final ManagementServer management;
    private final KeyVault vault;
    private final io.duet.admin.AdminServer admin;
    /** Creates the first admin user once the store can commit (at once standalone, after quorum in a cluster). */
    private FirstAdminTask firstAdmin;
    private final KeySealing sealing;
    /** The join endpoint of a proxy holding the cluster CA key; null standalone. */
    private final JoinService join;
    /** Heartbeats and the VIP agent of a cluster member; null standalone. */
    private volatile ClusterDuties duties;
    /** The pair's shared rate limits (cluster mode only). */
    private volatile io.duet.appliance.pair.RateShare rateShare;
    private final Object applyLock = new Object();
    static final String DATA_DIR_IN_USE = ApplianceMessage.DATA_DIR_IN_USE.id();
    private DataDirLock lock;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private Node(NodeBootstrap bootstrap, Path configFile, DemoBackends demo, ConfigStore store, DataPlane dataPlane,
                 ManagementServer management, KeyVault vault, JoinService join, io.duet.admin.AdminServer admin) {
        this.join = join;
        this.admin = admin;
        this.vault = vault;
        this.bootstrap = bootstrap;
        this.configFile = configFile;
        this.demo = demo;
        this.store = store;
        this.dataPlane = dataPlane;
        this.management = management;
        this.sealing = new KeySealing(store, vault);
    }

    /**
     * Starts a node; blocks until every listener is bound. On failure, whatever was started is stopped again.
     *
     * @param demo start the demo backends and serve the demo document, generated afresh in
     *             {@code <data.dir>/demo-config.json} (backend ports change every start); {@code config.file} is
     *             then not read
     * @throws StartupException one clear line with an id; exit code 1 (invalid document) or 3
     */
    public static Node start(NodeBootstrap bootstrap, boolean demo) throws StartupException {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            return start(bootstrap, demo, started);
        } catch (StartupException | RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
    }

    /**
     * A member that is to hold VIPs needs its {@code cluster.interface} on this machine: without it the node would run
     * and fail every VIP claim (a mistyped name, a comment copied into the value) while its VIPs stay unserved.
     */
    public static void requireInterface(NodeBootstrap b) throws StartupException {
        String iface = b.clusterInterface();
        if (iface == null) {
            return;
        }
        boolean present;
        try {
            present = java.net.NetworkInterface.getByName(iface) != null;
        } catch (java.net.SocketException e) {
            present = false;
        }
        if (!present) {
            throw new StartupException(BootstrapReader.INVALID_VALUE, ExitCodes.USAGE, "cluster.interface: " + iface
                    + " (expected: a network interface of this machine, see `ip -o link`; set in the bootstrap file "
                    + "or DUET_CLUSTER_INTERFACE)");
        }
    }

    private static Node start(NodeBootstrap b, boolean demoMode, List<AutoCloseable> started)
            throws StartupException {
        long t0 = System.nanoTime();
        createDataDir(b);
        DataDirLock lock;
        try {
            lock = DataDirLock.tryAcquire(b.dataDir());
        } catch (IOException e) {
            throw new StartupException(IO_FAILURE, ExitCodes.STARTUP, "cannot lock the data directory " + b.dataDir()
                    + ": " + e, e);
        }
        if (lock == null) {
            throw new StartupException(DATA_DIR_IN_USE, ExitCodes.STARTUP, "another Duet node is running with the data "
                    + "directory " + b.dataDir() + " (it holds " + DataDirLock.FILE + "); stop it first, or give this "
                    + "node its own data.dir");
        }
        started.add(lock);
        requireInterface(b);
        PrivateFilesCheck.warn(b);
        DemoBackends demo = null;
        Path file = b.configFile();
        if (demoMode) {
            demo = startDemo();
            started.add(demo);
            file = b.demoConfigFile();
            writeDocument(EmbeddedDocuments.demo(b, demo.b1(), demo.b2()), file);
            log.info("demo backends b1 {} and b2 {}; demo document written to {}", Banner.hostPort(demo.b1()),
                    Banner.hostPort(demo.b2()), file);
        } else if (!b.clustered() && !Files.exists(file)) {
            writeDocument(EmbeddedDocuments.welcome(b), file);
            log.info("no configuration document at {}: wrote the embedded default there", file);
        }

        KeyVault vault = openVault(b);
        // One validator for every proposal this node makes or checks (admin API, file edits, sealing), so none
        // commits a certificate the data plane would refuse.
        io.duet.config.ProposalValidator validator = CertificateMaterialCheck.validator(vault, Clock.systemUTC());
        ConfigStore store;
        io.duet.cluster.raft.ClusterNode member = null;
        JoinService join = null;
        ClusterWiring wiring = null;
        if (b.clustered() && !demoMode) {
            ClusterWiring cluster = ClusterWiring.open(b, vault, validator, EmbeddedDocuments.welcome(b), started);
            member = cluster.member();
            join = cluster.join();
            store = cluster.store();
            wiring = cluster;
        } else {
            store = openStore(file, validator);
            started.add(store);
            log.info("config store opened: {} (revision {})", file, store.current().revision());
        }
        CertifiedKey nodeCertificate = nodeCertificate(b, vault);

        MetricRegistry registry = new MetricRegistry();
        io.duet.proxy.metrics.JvmMetrics.registerInto(registry);
        JmxExposure jmx = JmxExposure.start(registry);
        started.add(jmx);
        DataPlane dataPlane = startDataPlane(store.current(), new DataPlaneOptions(b.dataDir(), b.ioThreads(),
                registry, b.nodeId(), vault, nodeCertificate), file, demoMode);
        started.add(dataPlane);
        log.info("data plane started (revision {})", dataPlane.revision());
        io.duet.proxy.metrics.MetricsHistory history = dataPlane.startHistory(b.historyPeriodMs());

        ManagementServer management = startManagement(b, registry);
        started.add(management);
        log.info("management server listening on {}", management.address());

        io.duet.admin.AdminServer admin;
        try {
            admin = io.duet.admin.AdminServer.start(b.adminAddress(), b.adminPort(), nodeCertificate.key(),
                    nodeCertificate.chain(), store, b.dataDir().resolve("audit.log"), b.nodeId(), Clock.systemUTC(),
                    new NodeStatusView(dataPlane, registry, member, b.nodeId(), history));
        } catch (IllegalStateException e) {
            throw new StartupException(ADMIN_BIND, ExitCodes.STARTUP, e.getMessage(), e);
        }
        started.add(admin);
        log.info("admin listener (REST API) on https://{}:{}/api/v1", admin.address().getHostString(),
                admin.address().getPort());

        Node node = new Node(b, file, demo, store, dataPlane, management, vault, join, admin);
        node.lock = lock;
        if (wiring != null) {
            node.duties = wiring.startDuties(b, new io.duet.cluster.vip.VipAgent.Drainer() {
                @Override
                public java.util.concurrent.CompletionStage<String> drain(String address, long maxMs) {
                    return dataPlane.drain(address, maxMs).thenApply(r -> r.connections() + " connection(s) ended in "
                            + r.millis() + " ms" + (r.cut() > 0 ? ", " + r.cut() + " cut at the deadline" : ""));
                }

                @Override
                public void undrain(String address) {
                    dataPlane.undrain(address);
                }
            }, registry);
            node.rateShare = wiring.startRateShare(b, dataPlane.rateLimits());
        }
        store.subscribe(node::onCommit);
        node.catchUp();
        node.firstAdmin = FirstAdminTask.start(store, b.dataDir().resolve("admin-password"), b.adminPort());
        node.sealKeys(store.current());
        log.info("node {} started in {} ms", b.nodeId(), (System.nanoTime() - t0) / 1_000_000);
        return node;
    }

    /** The bound address of a listener of the document in force (its real port when the document said 0). */
    public InetSocketAddress listenerAddress(String listenerName) {
        return dataPlane.address(listenerName);
    }

    /** The node's rate limits: their state, counts and this node's share of each (shared by the pair). */
    public io.duet.proxy.ratelimit.RateLimits rateLimits() {
        return dataPlane.rateLimits();
    }

    /** The admin listener's bound address. */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The bound address of the management server. */
    public InetSocketAddress managementAddress() {
        return management.address();
    }

    /** The configuration store (the file store, or the cluster's). */
    public ConfigStore store() {
        return store;
    }

    /** The file the store serves: {@code config.file}, or the demo document. */
    public Path configFile() {
        return configFile;
    }

    /** The startup banner: version, node, revision, listeners, metrics URL, paths; with the demo, what to try. */
    public String banner() {
        return Banner.of(bootstrap, store.current(), dataPlane, management.address(),
                join == null ? null : join.address(), configFile, demo);
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops the management server, the data plane, the store and the demo backends, logging each step. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            log.info("stopping node {}", bootstrap.nodeId());
            if (duties != null) {
                stop("cluster duties (heartbeats, VIPs)", duties);
            }
            if (rateShare != null) {
                stop("rate limits' exchange", rateShare);
            }
            if (join != null) {
                stop("join endpoint", join);
            }
            if (firstAdmin != null) {
                firstAdmin.close();
            }
            stop("admin listener", admin);
            stop("management server", management);
            stop("data plane", dataPlane);
            stop("config store", store);
            if (demo != null) {
                stop("demo backends", demo);
            }
            log.info("node {} stopped", bootstrap.nodeId());
        } finally {
            if (lock != null) {
                lock.close();
            }
            closed.countDown();
        }
    }

    /** Store thread: hands a committed document to the data plane. May block while the snapshot compiles. */
    private void onCommit(DuetConfig config) {
        synchronized (applyLock) {
            if (closing.get()) {
                return;
            }
            apply(config);
        }
        ClusterDuties d = duties;
        if (d != null) {
            d.configured(config);
        }
        sealKeys(config);
    }

    /** Seals keys given in clear (see {@link KeySealing}); nothing once closing. */
    private void sealKeys(DuetConfig config) {
        if (!closing.get()) {
            sealing.seal(config);
        }
    }

    private static KeyVault openVault(NodeBootstrap b) throws StartupException {
        try {
            return KeyVault.open(b.dataDir().resolve("keys"));
        } catch (RuntimeException e) {
            throw new StartupException(TLS_MATERIAL, ExitCodes.STARTUP, e.getMessage() + "; the data key must be a "
                    + "file written by Duet (restore it from a backup, or move it away to start without the keys "
                    + "sealed under it)", e);
        }
    }

    /** The node's self-signed certificate for its names: node id, host name, loopback, the proxy address. */
    private static CertifiedKey nodeCertificate(NodeBootstrap b, KeyVault vault) throws StartupException {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        names.add(b.nodeId().toLowerCase(java.util.Locale.ROOT));
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        String a = b.proxyAddress();
        if (!NodeBootstrap.isWildcard(a)) {
            names.add(a);
        }
        try {
            return NodeCertificate.loadOrIssue(b.dataDir().resolve("tls"), vault, new ArrayList<>(names),
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new StartupException(TLS_MATERIAL, ExitCodes.STARTUP, "the node's self-signed certificate could "
                    + "not be loaded or issued: " + Causes.rootMessage(e), e);
        }
    }

    /** Applies a document committed between {@code store.current()} at start and {@code subscribe}. */
    private void catchUp() {
        synchronized (applyLock) {
            DuetConfig current = store.current();
            if (current.revision() > dataPlane.revision()) {
                apply(current);
            }
        }
    }

    private void apply(DuetConfig config) {
        long before = dataPlane.revision();
        try {
            dataPlane.apply(config);
            log.info("applied revision {} (was {})", config.revision(), before);
        } catch (RuntimeException e) {
            log.error("{} revision {} could not be applied; still serving revision {}: {}", APPLY_FAILED,
                    config.revision(), before, e.toString(), e);
        }
    }

    private static void createDataDir(NodeBootstrap b) throws StartupException {
        try {
            Files.createDirectories(b.dataDir());
        } catch (IOException e) {
            throw new StartupException(IO_FAILURE, ExitCodes.STARTUP, "cannot create the data directory "
                    + b.dataDir() + ": " + e + "; set data.dir (or DUET_DATA_DIR) to a writable directory", e);
        }
    }

    private static DemoBackends startDemo() throws StartupException {
        try {
            return DemoBackends.start();
        } catch (RuntimeException e) {
            throw new StartupException(DEMO_FAILED, ExitCodes.STARTUP, "the demo backends could not start on "
                    + "127.0.0.1: " + Causes.rootMessage(e), e);
        }
    }

    private static void writeDocument(DuetConfig config, Path file) throws StartupException {
        try {
            EmbeddedDocuments.write(config, file);
        } catch (IOException e) {
            throw new StartupException(IO_FAILURE, ExitCodes.STARTUP, "cannot write the configuration document "
                    + file + ": " + e + "; check the permissions of the data directory", e);
        }
    }

    private static ConfigStore openStore(Path file, io.duet.config.ProposalValidator validator)
            throws StartupException {
        try {
            return FileConfigStore.open(file, validator);
        } catch (InvalidConfigException e) {
            List<String> lines = new ArrayList<>();
            long errors = e.violations().stream().filter(Violation::isError).count();
            lines.add("the configuration document " + file + " is invalid (" + errors + " error"
                    + (errors == 1 ? "" : "s") + "); fix it, then run: duet check " + file);
            e.violations().forEach(v -> lines.add("  " + v));
            throw new StartupException(INVALID_DOCUMENT, ExitCodes.INVALID_DOCUMENT, String.join("\n", lines), e);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(IO_FAILURE, ExitCodes.STARTUP, "cannot open the configuration document "
                    + file + ": " + Causes.rootMessage(e), e);
        }
    }

    private static DataPlane startDataPlane(DuetConfig config, DataPlaneOptions options, Path file, boolean demo)
            throws StartupException {
        try {
            return DataPlane.start(config, options);
        } catch (RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                throw new StartupException(LISTENER_BIND, ExitCodes.STARTUP, "a listener could not bind: "
                        + Causes.rootMessage(e) + "; another process holds the port: stop it, or change "
                        + (demo ? "proxy.port (DUET_PROXY_PORT)" : "the listener's port in " + file), e);
            }
            throw new StartupException(DATA_PLANE_FAILED, ExitCodes.STARTUP, "the data plane could not start: "
                    + Causes.rootMessage(e) + "; rerun with --debug for details", e);
        }
    }

    private static ManagementServer startManagement(NodeBootstrap b, MetricRegistry registry)
            throws StartupException {
        try {
            return ManagementServer.start(new InetSocketAddress(b.managementAddress(), b.managementPort()), registry);
        } catch (RuntimeException e) {
            throw new StartupException(MANAGEMENT_BIND, ExitCodes.STARTUP, "the management server could not "
                    + "listen on " + b.managementAddress() + ":" + b.managementPort() + ": " + Causes.rootMessage(e)
                    + "; change management.address / management.port (DUET_MANAGEMENT_PORT)", e);
        }
    }

    private static void stop(String what, AutoCloseable part) {
        log.info("stopping {}", what);
        try {
            part.close();
            log.info("stopped {}", what);
        } catch (Exception e) {
            log.warn("stopping {} failed: {}", what, e.toString(), e);
        }
    }

    private static void stopAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.debug("cleanup after a failed start: {}", e.toString(), e);
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

}
