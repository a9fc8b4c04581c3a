package io.duet.proxy.health;

import io.duet.config.Fallback;
import io.duet.config.HealthCheck;
import io.duet.config.OutlierDetection;
import io.duet.config.Pool;
import io.duet.proxy.metrics.PoolMetrics;
import io.duet.proxy.pool.PoolState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

import static io.duet.proxy.message.ProxyMessage.HEALTH_NO_SERVER;
import static io.duet.proxy.message.ProxyMessage.HEALTH_PANIC;
import static io.duet.proxy.message.ProxyMessage.HEALTH_PANIC_OVER;

/**
 * The health side of one pool: its check and outlier settings, its servers' state machines and its panic flag.
 * Its monitor guards the state of every {@link ServerHealth} of the pool. Kept across reloads while the pool exists.
 */
final class PoolHealth {
    private static final Logger LOG = LoggerFactory.getLogger(PoolHealth.class);

    final String name;
    final HealthRegistry registry;
    // Written under the monitor by the reload thread; volatile for the I/O threads' outcome reports.
    volatile OutlierDetection outlier;
    volatile HealthCheck check;
    volatile Probe probe;
    private volatile long slowStartMs;
    private int panicThresholdPercent;
    private Fallback fallback;
    private PoolState state;
    private PoolMetrics metrics;
    volatile List<ServerHealth> members = List.of();
    private boolean panic;
    private int lastAvailable = -1;

    private io.duet.config.BackendTls tls;

    PoolHealth(String name, HealthRegistry registry) {
        this.name = name;
        this.registry = registry;
    }

    /** Takes a new revision's settings. Returns true when the active check changed. Caller holds the monitor. */
    boolean configure(Pool spec, PoolState state, PoolMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
        this.outlier = spec.outlierDetection() != null && spec.outlierDetection().enabled()
                ? spec.outlierDetection() : null;
        this.slowStartMs = spec.slowStartMs();
        this.panicThresholdPercent = spec.panicThresholdPercent();
        this.fallback = spec.fallback();
        boolean changed = !Objects.equals(check, spec.healthCheck()) || !Objects.equals(tls, spec.tls());
        if (changed) {
            check = spec.healthCheck();
            tls = spec.tls();
            probe = check == null ? null : Probe.of(check, tls);
        }
        return changed;
    }

    long slowStartMs() {
        return slowStartMs;
    }

    /**
     * Recomputes the pool's panic flag and gauges from its servers' availability; logs entering and leaving panic
     * and the loss of the last server. Health threads and the reload thread.
     */
    synchronized void recompute() {
        int available = 0;
        int inService = 0;
        for (ServerHealth h : members) {
            if (h.state.available()) {
                available++;
            }
            if (h.inService()) {
                inService++;
            }
        }
        boolean p = panicThresholdPercent > 0 && inService > 0 && available * 100 < panicThresholdPercent * inService;
        if (p != panic) {
            panic = p;
            if (p) {
                LOG.warn("{} pool '{}' is in PANIC: {} of {} servers available, below its threshold of "
                        + "{}%; balancing over all of them so the survivors are not overloaded; check the servers",
                        HEALTH_PANIC,
                        name, available, inService, panicThresholdPercent);
            } else {
                LOG.info("{} pool '{}' left panic: {} of {} servers available", HEALTH_PANIC_OVER, name, available,
                        inService);
            }
        }
        state.setPanic(p);
        if (available == 0 && lastAvailable != 0 && !members.isEmpty()) {
            LOG.warn("{} pool '{}': no server is available ({} servers); {}", HEALTH_NO_SERVER, name, members.size(),
                    fallback == null ? (p ? "panic: trying all of them" : "serving 503")
                            : fallback.pool() != null ? "forwarding to fallback pool '" + fallback.pool() + "'"
                            : "serving its fallback response " + fallback.respond().status());
        }
        lastAvailable = available;
        metrics.availableServers().setValue(available);
        metrics.panic().setValue(p ? 1 : 0);
    }

    synchronized PoolHealthStatus status(StickyClients sticky) {
        int available = 0;
        List<ServerHealthStatus> servers = new java.util.ArrayList<>(members.size());
        for (ServerHealth h : members) {
            ServerHealthStatus s = h.status(sticky);
            available += s.available() ? 1 : 0;
            servers.add(s);
        }
        return new PoolHealthStatus(name, state != null && state.panic(), available, servers);
    }
}
