package io.duet.proxy.health;

import io.duet.config.DuetConfig;
import io.duet.config.HealthCheck;
import io.duet.config.OutlierDetection;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.ServerState;
import io.duet.proxy.resolve.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.message.ProxyMessage.HEALTH_CHECK_BUG;
import static io.duet.proxy.message.ProxyMessage.HEALTH_NOT_EJECTED;

/**
 * Every server's health state machine, owned by the data plane and kept across reloads: a server whose pool, id,
 * address and port did not change keeps its {@link ServerState} (see ConnectionPools) and so its state machine,
 * check schedule and history. Runs the active checks and timers on a small scheduler of daemon threads named
 * {@code duet-health-N}; receives the forwarder's outcomes as the {@link ServerOutcomes}. Follows each server's
 * {@link ServerAddress}: checks go to the address traffic uses, and the new address after a change is checked at once
 * (what the change does to the state machine: see ServerHealth).
 *
 * <p>Threads: {@link #update} on the reload thread (cheap, no I/O: probes run later on the health threads);
 * {@link #onResponse}/{@link #onConnectFailure} on I/O threads (one atomic, no lock); {@link #status()} on any thread.
 */
public final class HealthRegistry implements ServerOutcomes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);
    /** The first check of a server runs within this share of its interval (at most 1 s) after it appears. */
    static final long FIRST_CHECK_SPREAD_MS = 1000;

    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<ServerState, ServerHealth> servers = new ConcurrentHashMap<>();
    private final Map<String, PoolHealth> pools = new ConcurrentHashMap<>();
    private volatile StickyClients sticky = StickyClients.UNKNOWN;
    private volatile boolean applied;

    public HealthRegistry() {
        this(2);
    }

    HealthRegistry(int threads) {
        AtomicInteger n = new AtomicInteger();
        scheduler = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "duet-health-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** True once a first document was applied: servers a later reload adds get slow start. */
    boolean applied() {
        return applied;
    }

    /**
     * The administrative state a server of the document names.
     *
     * @throws IllegalArgumentException for a state the validator would have refused
     */
    private static io.duet.config.ServerState adminState(Server doc) {
        io.duet.config.ServerState state = io.duet.config.ServerState.from(doc.state());
        if (state == null) {
            throw new IllegalArgumentException("server " + doc.id() + ": unknown state '" + doc.state() + "' (known: "
                    + io.duet.config.ServerState.wires() + ")");
        }
        return state;
    }

    /** Where the drain report gets the number of sticky clients per server (the affinity package). */
    public void stickyClients(StickyClients counter) {
        this.sticky = counter == null ? StickyClients.UNKNOWN : counter;
    }

    /**
     * Adopts a newly compiled set of pools before it is published: creates the state machines of new servers, keeps
     * those of unchanged servers, applies administrative states, (re)starts or stops active checks and forgets servers
     * that left. Reload thread; never blocks on I/O.
     */
    public synchronized void update(Collection<BackendPool> compiled, DuetConfig config) {
        Set<ServerHealth> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> livePools = new java.util.HashSet<>();
        for (BackendPool bp : compiled) {
            Pool spec = config.pool(bp.name());
            if (spec == null) {
                continue;
            }
            livePools.add(bp.name());
            PoolHealth ph = pools.computeIfAbsent(bp.name(), n -> new PoolHealth(n, this));
            synchronized (ph) {
                boolean checkChanged = ph.configure(spec, bp.state(), bp.metrics());
                HealthCheck check = spec.healthCheck();
                List<ServerHealth> members = new ArrayList<>(bp.servers().size());
                for (BackendServer s : bp.servers()) {
                    ServerHealth known = servers.get(s.state());
                    boolean fresh = known == null;
                    ServerHealth h = fresh ? new ServerHealth(ph, s) : known;
                    if (fresh) {
                        servers.put(s.state(), h);
                    }
                    h.server = s;
                    // After subscribing, so no change between the server's creation and now is missed.
                    boolean moved = watch(h, s.address()) && h.syncAddress();
                    live.add(h);
                    members.add(h);
                    Server doc = s.spec();
                    h.configureChecks(check);
                    Instant until = doc.drainUntil() == null ? null : Instant.parse(doc.drainUntil());
                    Instant oldUntil = h.drainUntil();
                    io.duet.config.ServerState admin = adminState(doc);
                    h.admin(admin, until);
                    if (until != null && !until.equals(oldUntil) && admin == io.duet.config.ServerState.DRAIN) {
                        scheduleDrainDeadline(h, until);
                    }
                    if (check == null) {
                        h.checkGeneration++;
                    } else if (fresh || checkChanged || moved) {
                        int gen = ++h.checkGeneration;
                        long spread = Math.min(check.intervalMs(), FIRST_CHECK_SPREAD_MS) / 2;
                        schedule(() -> runCheck(h, gen), (long) (ThreadLocalRandom.current().nextDouble() * spread));
                    }
                }
                ph.members = List.copyOf(members);
            }
            ph.recompute();
        }
        for (var it = servers.values().iterator(); it.hasNext(); ) {
            ServerHealth h = it.next();
            if (!live.contains(h)) {
                synchronized (h.pool) {
                    h.removed = true;
                    if (h.watched != null) {
                        h.watched.unsubscribe(h.addressListener);
                    }
                    cancel(h.restoreTask);
                    cancel(h.drainTask);
                    cancel(h.rampTask);
                }
                it.remove();
            }
        }
        pools.keySet().retainAll(livePools);
        applied = true;
    }

    // ---- addresses of servers given by host name

    /** Makes {@code h} follow {@code address}; true when it is another one than before. Caller holds the monitor. */
    private boolean watch(ServerHealth h, ServerAddress address) {
        if (h.watched == address) {
            return false;
        }
        if (h.watched != null) {
            h.watched.unsubscribe(h.addressListener);
        }
        if (h.addressListener == null) {
            h.addressListener = a -> schedule(() -> addressChanged(h), 0);
        }
        h.watched = address;
        if (address.followsDns()) {
            address.subscribe(h.addressListener);
        }
        return true;
    }

    /**
     * The server's address changed (or it got or lost one): tells its state machine, ends an ejection and checks the
     * new address at once. Health thread.
     */
    private void addressChanged(ServerHealth h) {
        PoolHealth ph = h.pool;
        int gen = -1;
        synchronized (ph) {
            if (h.removed || !h.syncAddress()) {
                return;
            }
            cancel(h.restoreTask);
            if (ph.check != null && h.server.address().current() != null) {
                gen = ++h.checkGeneration;
            }
        }
        ph.recompute();
        if (gen >= 0) {
            int g = gen;
            schedule(() -> runCheck(h, g), 0);
        }
    }

    // ---- active checks (health threads)

    private void runCheck(ServerHealth h, int gen) {
        PoolHealth ph = h.pool;
        Probe probe;
        HealthCheck spec;
        synchronized (ph) {
            if (h.removed || gen != h.checkGeneration) {
                return;
            }
            probe = ph.probe;
            spec = ph.check;
        }
        if (probe == null) {
            return;
        }
        BackendServer s = h.server;
        InetSocketAddress target = s.address().current();
        if (target == null) {
            // No address (a name that does not resolve, or has fewer addresses than servers): nothing to check; the
            // server is out of service meanwhile, and a new address gets its check at once.
            schedule(() -> runCheck(h, gen), spec.intervalMs());
            return;
        }
        ProbeResult r;
        try {
            r = probe.check(s.host(), target.getAddress(), s.port());
        } catch (RuntimeException e) {
            LOG.error("{} check of pool '{}' server '{}' failed unexpectedly (a bug: report it with this "
                    + "log); counted as a failed check", HEALTH_CHECK_BUG, ph.name, s.id(), e);
            r = new ProbeResult(Instant.now(), false, "check error: " + e, 0);
        }
        boolean changed;
        synchronized (ph) {
            if (h.removed || gen != h.checkGeneration) {
                return;
            }
            changed = h.onProbe(r);
        }
        if (changed) {
            ph.recompute();
        }
        schedule(() -> runCheck(h, gen), jitteredDelayMs(spec.intervalMs(), spec.jitterPercent(),
                ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * The delay before a server's next check: the interval moved uniformly within +-{@code jitterPercent}
     * ({@code u} uniform in [0, 1)), at least 1 ms.
     */
    static long jitteredDelayMs(long intervalMs, int jitterPercent, double u) {
        double spread = intervalMs * jitterPercent / 100.0;
        return Math.max(1, Math.round(intervalMs - spread + 2 * spread * u));
    }

    // ---- passive outlier detection (I/O threads report, health threads decide)

    @Override
    public void onResponse(BackendServer server, int status) {
        if (status <= 0) {
            return;
        }
        ServerHealth h = servers.get(server.state());
        if (h == null) {
            return;
        }
        OutlierDetection od = h.pool.outlier;
        if (od == null) {
            return;
        }
        if (status >= 500) {
            failure(h, od);
        } else if (h.consecutiveFailures.get() != 0) {
            h.consecutiveFailures.set(0);
        }
    }

    @Override
    public void onConnectFailure(BackendServer server) {
        ServerHealth h = servers.get(server.state());
        if (h == null) {
            return;
        }
        OutlierDetection od = h.pool.outlier;
        if (od != null) {
            failure(h, od);
        }
    }

    private void failure(ServerHealth h, OutlierDetection od) {
        if (h.consecutiveFailures.incrementAndGet() == od.consecutiveFailures()) {
            // Out of the balancer's candidates at once (one volatile write, no lock): requests racing the health
            // thread's decision must not keep failing. The health thread then ejects, or, when the pool may not
            // eject more servers, puts the server back.
            if (mayTakeOut(h, od)) {
                h.pendingOut = true;
                h.server.state().setAvailable(false);
            }
            schedule(() -> tryEject(h), 0);
        }
    }

    /** True when taking {@code h} out keeps the pool within maxEjectionPercent. I/O thread; reads volatiles only. */
    private static boolean mayTakeOut(ServerHealth h, OutlierDetection od) {
        List<ServerHealth> members = h.pool.members;
        int out = 0;
        for (ServerHealth m : members) {
            out += m.pendingOut ? 1 : 0;
        }
        return (out + 1) * 100L <= (long) od.maxEjectionPercent() * members.size();
    }

    private void tryEject(ServerHealth h) {
        PoolHealth ph = h.pool;
        OutlierDetection od = ph.outlier;
        synchronized (ph) {
            int failures = h.consecutiveFailures.getAndSet(0);
            if (h.removed || od == null || h.ejected()) {
                if (!h.ejected() && h.pendingOut) {
                    h.pendingOut = false;
                    h.refresh("not ejected");
                }
                return;
            }
            List<ServerHealth> members = ph.members;
            int ejectedNow = 0;
            for (ServerHealth m : members) {
                ejectedNow += m.ejected() ? 1 : 0;
            }
            if ((ejectedNow + 1) * 100L > (long) od.maxEjectionPercent() * members.size()) {
                LOG.warn("{} pool '{}' server '{}' failed {} requests in a row but is not ejected: {} of "
                                + "{} servers are ejected already and maxEjectionPercent is {}; check the servers",
                        HEALTH_NOT_EJECTED,
                        ph.name, h.server.id(), failures, ejectedNow, members.size(), od.maxEjectionPercent());
                if (h.pendingOut) {
                    h.pendingOut = false;
                    h.refresh("not ejected: maxEjectionPercent " + od.maxEjectionPercent() + " reached");
                }
                return;
            }
            h.pendingOut = true;
            long ms = h.eject(od, failures, System.nanoTime());
            h.restoreTask = schedule(() -> restore(h), ms);
        }
        ph.recompute();
    }

    private void restore(ServerHealth h) {
        boolean changed;
        synchronized (h.pool) {
            if (h.removed) {
                return;
            }
            changed = h.restore(System.nanoTime());
            h.pendingOut = false;
        }
        if (changed) {
            h.pool.recompute();
        }
    }

    // ---- drain deadline and slow start

    private void scheduleDrainDeadline(ServerHealth h, Instant until) {
        cancel(h.drainTask);
        long ms = Math.max(0, Duration.between(Instant.now(), until).toMillis());
        h.drainTask = schedule(() -> {
            synchronized (h.pool) {
                if (!h.removed && until.equals(h.drainUntil())) {
                    h.refresh("drain deadline " + until + " passed");
                }
            }
        }, ms + 1);
    }

    /** Starts (or restarts) the slow-start ramp of a server; caller holds the pool monitor. */
    void startRamp(ServerHealth h, long windowMs) {
        cancel(h.rampTask);
        long period = Math.max(10, Math.min(1000, windowMs / 10));
        try {
            h.rampTask = scheduler.scheduleAtFixedRate(() -> {
                synchronized (h.pool) {
                    if (h.removed || h.ramp(windowMs, System.nanoTime())) {
                        cancel(h.rampTask);
                    }
                }
            }, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            h.state.setWeightFactor(1.0); // closing
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closed
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- queries

    /** Every pool's health, servers in document order. Any thread. */
    public List<PoolHealthStatus> status() {
        List<PoolHealthStatus> out = new ArrayList<>();
        for (PoolHealth ph : pools.values()) {
            out.add(ph.status(sticky));
        }
        out.sort(java.util.Comparator.comparing(PoolHealthStatus::pool));
        return out;
    }

    /** One pool's health, or {@code null} when there is no such pool. Any thread. */
    public PoolHealthStatus status(String pool) {
        PoolHealth ph = pools.get(pool);
        return ph == null ? null : ph.status(sticky);
    }

    /** Stops the checks and timers. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
