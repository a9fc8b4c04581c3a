package io.duet.proxy.health;

import io.duet.config.HealthCheck;
import io.duet.config.OutlierDetection;
import io.duet.config.ServerState;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.resolve.ServerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.message.ProxyMessage.HEALTH_DOWN;
import static io.duet.proxy.message.ProxyMessage.HEALTH_DRAINING;
import static io.duet.proxy.message.ProxyMessage.HEALTH_DRAIN_DEADLINE;
import static io.duet.proxy.message.ProxyMessage.HEALTH_EJECTED;
import static io.duet.proxy.message.ProxyMessage.HEALTH_MAINTENANCE;
import static io.duet.proxy.message.ProxyMessage.HEALTH_UP;

/**
 * The health state machine of one server. Inputs: active check results ({@link #onProbe}), passive ejections
 * ({@link #eject}, {@link #restore}) and the administrative state ({@link #admin}). Output: the summary
 * {@link HealthState}, written to the server's {@link io.duet.proxy.pool.ServerState} (available, acceptsSticky,
 * weightFactor) and metrics, and logged with a stable id, its reason and the last check results on every change.
 *
 * <p>Rise/fall as HAProxy counts them: a counter from 0 to rise+fall-1; up at rise or more. A passing check raises it
 * (a down server reaching rise goes up and jumps to the top); a failing one lowers it while above rise, and at rise
 * the server goes down and the counter drops to 0. So an up server needs {@code fall} failures in a row to go down,
 * a down one {@code rise} passes in a row to come up, and a new server starts up at rise: its first failed check
 * marks it down.
 *
 * <p>A server given by host name that has no address (see {@link ServerAddress}) is out like one in maintenance; when
 * it gets one, it starts as a server newly added to the pool (up on its last fall step, so its first failed check
 * marks it down; slow start). When its address changes, it keeps its check state and counters (an up server goes
 * down after {@code fall} failed checks of the new address, a down one needs {@code rise} passes), an ejection ends
 * (it judged the old address), and the new address is checked at once.
 *
 * <p>Threads: every method except the passive counter is called with the monitor of {@link #pool} held (health
 * threads and the reload thread); nothing here blocks or does I/O. {@link #consecutiveFailures} is counted on I/O
 * threads.
 */
final class ServerHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHealth.class);
    /** Check results kept for the status and the transition logs. */
    static final int HISTORY = 10;
    /** Weight share a server starts its slow start with. */
    static final double SLOW_START_FLOOR = 0.1;

    final PoolHealth pool;
    final io.duet.proxy.pool.ServerState state;
    /** The server as compiled by the latest snapshot (address, metrics). */
    volatile BackendServer server;
    /** Consecutive 5xx / connect failures seen by the forwarder; I/O threads. */
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** Ejected, or taken out by an I/O thread at the failure threshold while the health thread decides. */
    volatile boolean pendingOut;
    /** The address whose changes this server follows, and how (set by the registry under the pool monitor). */
    ServerAddress watched;
    ServerAddress.Listener addressListener;

    // Everything below is guarded by the monitor of pool.
    private boolean checked;
    private int rise = 2;
    private int fall = 3;
    private int health = 2;
    private boolean checkUp = true;
    private boolean ejected;
    private int ejectionMultiplier;
    private long restoredAtNanos;
    private long ejectionsTotal;
    private ServerState admin = ServerState.ENABLED;
    private Instant drainUntil;
    private HealthState current;
    private boolean stickyNow;
    private String reason = "in the configuration";
    private Instant since = Instant.now();
    private final ArrayDeque<ProbeResult> history = new ArrayDeque<>(HISTORY);
    /** The address the state machine was last told about (null: none). */
    private InetSocketAddress knownAddress;
    private boolean noAddress;
    private long rampStartNanos;
    int checkGeneration;
    boolean removed;
    ScheduledFuture<?> restoreTask;
    ScheduledFuture<?> drainTask;
    ScheduledFuture<?> rampTask;

    ServerHealth(PoolHealth pool, BackendServer server) {
        this.pool = pool;
        this.server = server;
        this.state = server.state();
        this.knownAddress = server.address().current();
        this.noAddress = knownAddress == null;
    }

    /** Sets the active check settings; a server that gains checks starts at rise (one failure marks it down). */
    void configureChecks(HealthCheck check) {
        if (check == null) {
            checked = false;
            history.clear();
            if (!checkUp) {
                checkUp = true;
                refresh("active checks removed from the configuration");
            }
            return;
        }
        rise = check.rise();
        fall = check.fall();
        if (!checked) {
            checked = true;
            health = checkUp ? rise : 0;
        } else {
            health = Math.min(health, rise + fall - 1);
        }
    }

    /** Applies a check result. Returns true when availability changed. */
    boolean onProbe(ProbeResult r) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(r);
        if (!checked) {
            return false;
        }
        int max = rise + fall - 1;
        if (r.ok()) {
            if (health < max) {
                health++;
            }
            if (!checkUp && health >= rise) {
                checkUp = true;
                health = max;
                return refresh(rise + " check(s) passed: " + r.detail());
            }
        } else {
            server.metrics().checkFailures().inc();
            if (checkUp) {
                if (health > rise) {
                    health--;
                } else {
                    checkUp = false;
                    health = 0;
                    return refresh(fallReason(r));
                }
            } else {
                health = 0;
            }
        }
        return false;
    }

    private String fallReason(ProbeResult r) {
        int failed = 0;
        for (ProbeResult p : history) {
            failed = p.ok() ? 0 : failed + 1;
        }
        return failed + " check(s) failed: " + r.detail();
    }

    /**
     * Ejects the server after {@code failures} consecutive failures and returns the ejection time in ms: the base
     * time times its ejection multiplier, at most the max; the multiplier first drops by one for every base time
     * the server stayed in service since its last ejection.
     */
    long eject(OutlierDetection od, int failures, long nowNanos) {
        if (ejectionMultiplier > 0) {
            long inServiceMs = (nowNanos - restoredAtNanos) / 1_000_000L;
            ejectionMultiplier = (int) Math.max(0, ejectionMultiplier - inServiceMs / od.baseEjectionMs());
        }
        ejectionMultiplier++;
        long ms = Math.min(od.maxEjectionMs(), od.baseEjectionMs() * ejectionMultiplier);
        ejected = true;
        ejectionsTotal++;
        server.metrics().ejections().inc();
        refresh(failures + " consecutive failed requests (5xx or connect failure); ejected for " + ms + " ms "
                + "(ejection x" + ejectionMultiplier + ")");
        return ms;
    }

    /** Ends an ejection. Returns true when availability changed. */
    boolean restore(long nowNanos) {
        if (!ejected) {
            return false;
        }
        ejected = false;
        restoredAtNanos = nowNanos;
        consecutiveFailures.set(0);
        return refresh("ejection time over");
    }

    boolean ejected() {
        return ejected;
    }

    boolean enabled() {
        return admin.inService();
    }

    /** Enabled in the document and with an address: counts towards the pool's panic threshold. */
    boolean inService() {
        return enabled() && !noAddress;
    }

    /**
     * Follows the server's current address (see the class comment). Returns true when it changed since the last call
     * (availability may have changed too; the caller recomputes the pool and checks the new address at once).
     */
    boolean syncAddress() {
        InetSocketAddress now = server.address().current();
        if (java.util.Objects.equals(now, knownAddress)) {
            return false;
        }
        InetSocketAddress was = knownAddress;
        knownAddress = now;
        server.metrics().addressChanges().inc();
        if (now == null) {
            noAddress = true;
            refresh(noAddressReason());
            return true;
        }
        if (noAddress && checked) {
            checkUp = true;
            health = rise;
        }
        noAddress = false;
        ejected = false;
        pendingOut = false;
        consecutiveFailures.set(0);
        refresh(was == null ? "address " + now.getAddress().getHostAddress() + " from DNS"
                : "address changed to " + now.getAddress().getHostAddress() + " (was "
                + was.getAddress().getHostAddress() + ")");
        return true;
    }

    private String noAddressReason() {
        ServerAddress.Status s = server.address().status();
        String host = server.host();
        if (s.error() != null) {
            return "no address: " + host + " does not resolve (" + s.error() + ")";
        }
        if (s.resolvedAt() == null) {
            return "no address yet: the first lookup of " + host + " has not finished";
        }
        return "no address: " + host + " has fewer addresses than its pool's resolve.maxAddresses";
    }

    Instant drainUntil() {
        return drainUntil;
    }

    /** Sets the administrative state the document names. Returns true when availability changed. */
    boolean admin(ServerState state, Instant until) {
        boolean same = state == admin && java.util.Objects.equals(until, drainUntil);
        admin = state;
        drainUntil = until;
        if (same && current != null) {
            return false;
        }
        return refresh(switch (state) {
            case DRAIN -> "drain set in the configuration" + (until == null ? "" : " until " + until);
            case MAINTENANCE -> "maintenance set in the configuration";
            case ENABLED -> current == null ? "in the configuration" : "enabled in the configuration";
        });
    }

    /**
     * Recomputes the summary state and writes it to the live state, logging and counting a change. Returns true
     * when availability changed. Also called when the drain deadline passes.
     */
    boolean refresh(String why) {
        HealthState next;
        if (noAddress && admin != ServerState.MAINTENANCE) {
            next = HealthState.MAINTENANCE;
            why = noAddressReason();
        } else if (admin == ServerState.MAINTENANCE) {
            next = HealthState.MAINTENANCE;
        } else if (!checkUp) {
            next = HealthState.DOWN;
        } else if (ejected) {
            next = HealthState.EJECTED;
        } else if (admin == ServerState.DRAIN) {
            next = HealthState.DRAINING;
        } else {
            next = HealthState.UP;
        }
        boolean sticky = next == HealthState.UP
                || (next == HealthState.DRAINING && (drainUntil == null || Instant.now().isBefore(drainUntil)));
        boolean wasAvailable = state.available();
        boolean available = next == HealthState.UP;
        boolean initial = current == null;
        state.setAvailable(available);
        state.setAcceptsSticky(sticky);
        state.setInService(!noAddress && admin.inService());
        // Slow start when a server comes back, and for a server a reload adds (not for those of the first document).
        boolean comesIn = initial ? pool.registry.applied() : !wasAvailable;
        if (available && comesIn && pool.slowStartMs() > 0) {
            rampStartNanos = System.nanoTime();
            state.setWeightFactor(SLOW_START_FLOOR);
            pool.registry.startRamp(this, pool.slowStartMs());
        }
        if (next != current) {
            HealthState previous = current;
            current = next;
            reason = why;
            since = Instant.now();
            server.metrics().healthState().setValue(next.code());
            if (!initial) {
                server.metrics().healthTransitions().inc();
            }
            if (!initial || next != HealthState.UP) {
                log(previous, next, why);
            }
        } else if (sticky != stickyNow && next == HealthState.DRAINING) {
            reason = why;
            LOG.info("{} pool '{}' server '{}' ({}): drain deadline {} passed; its sticky clients "
                            + "now go to other servers ({} requests still active); it can be removed when none remain",
                    HEALTH_DRAIN_DEADLINE,
                    pool.name, server.id(), address(), drainUntil, state.active().get());
        }
        stickyNow = sticky;
        return available != wasAvailable || initial;
    }

    private void log(HealthState from, HealthState to, String why) {
        String who = "pool '" + pool.name + "' server '" + server.id() + "' (" + address() + ")";
        String checks = history.isEmpty() ? "none" : history.toString();
        String was = from == null ? "new" : from.name();
        switch (to) {
            case UP -> LOG.info("{} {} is UP (was {}): {}; last checks: {}", HEALTH_UP, who, was, why, checks);
            case DOWN -> LOG.warn("{} {} is DOWN (was {}): {}; last checks: {}; it gets no new requests "
                    + "until {} check(s) pass: check the server", HEALTH_DOWN, who, was, why, checks, rise);
            case EJECTED -> LOG.warn("{} {} is EJECTED (was {}): {}; last checks: {}; check the server's "
                    + "logs for the errors", HEALTH_EJECTED, who, was, why, checks);
            case DRAINING -> LOG.info("{} {} is DRAINING (was {}): {}; {} requests active; remove it when "
                    + "the status shows it drained", HEALTH_DRAINING, who, was, why, state.active().get());
            case MAINTENANCE -> LOG.info("{} {} is in MAINTENANCE (was {}): {}; {} requests still active",
                    HEALTH_MAINTENANCE,
                    who, was, why, state.active().get());
        }
    }

    /** Advances slow start; returns true when the ramp is complete. */
    boolean ramp(long window, long nowNanos) {
        if (!state.available()) {
            return true;
        }
        double f = SLOW_START_FLOOR + (1 - SLOW_START_FLOOR) * (nowNanos - rampStartNanos) / (window * 1e6);
        if (f >= 1) {
            state.setWeightFactor(1.0);
            return true;
        }
        state.setWeightFactor(f);
        return false;
    }

    private String address() {
        return server.host() + ":" + server.port();
    }

    HealthState current() {
        return current;
    }

    ServerHealthStatus status(StickyClients sticky) {
        BackendServer s = server;
        ServerAddress.Status a = s.address().status();
        return new ServerHealthStatus(pool.name, s.id(), s.host(), s.port(), current, state.available(),
                state.acceptsSticky(), state.weightFactor(), reason, since, new ArrayList<>(history),
                state.active().get(), sticky.count(pool.name, s.id()), ejectionsTotal,
                a.address() == null ? null : a.address().getAddress().getHostAddress(), a.resolvedAt(), a.error());
    }

    List<ProbeResult> history() {
        return List.copyOf(history);
    }
}
