package io.duet.proxy.balance;

import io.duet.config.Pool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.ArrayList;
import java.util.List;

/** Builds the balancer a pool's settings name. */
public final class Balancers {
    private Balancers() {
    }

    /**
     * A balancer over the servers that may take traffic: the primary servers, or the backup servers when no
     * primary is available. Called when a snapshot is built (not on an I/O thread).
     */
    public static LoadBalancer of(String algorithm, List<BackendServer> servers) {
        return of(algorithm, servers, new PoolState());
    }

    /** As {@link #of(String, List)}, reading the pool's live panic flag. */
    public static LoadBalancer of(String algorithm, List<BackendServer> servers, PoolState pool) {
        List<BackendServer> primaries = new ArrayList<>();
        List<BackendServer> backups = new ArrayList<>();
        for (BackendServer s : servers) {
            (s.backup() ? backups : primaries).add(s);
        }
        List<BackendServer> active = primaries.isEmpty() ? backups : primaries;
        switch (algorithm) {
            case Pool.ROUND_ROBIN:
                return new RoundRobin(active, pool);
            case Pool.WEIGHTED_ROUND_ROBIN:
                return new SmoothWeightedRoundRobin(active);
            default:
                throw new IllegalArgumentException("unknown balancer '" + algorithm + "' (known: " + Pool.BALANCERS + ")");
        }
    }
}
