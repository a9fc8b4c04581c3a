package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;

/**
 * The first candidate in document order that has room, as HAProxy's {@code balance first}: traffic fills the
 * first server, then spills to the next, so the fewest servers stay busy. A server has room while its requests in
 * flight are below {@value #SLOTS_PER_WEIGHT} x weight x slow-start factor (at least 1): the weight is its
 * capacity in units of 32 concurrent requests (default weight 1 = 32). When every candidate is full, the least
 * loaded relative to its capacity. No lock; O(candidates) at worst.
 *
 * <p>When the forwarder gets a per-server maximum of concurrent requests (HAProxy's maxconn), that maximum is the
 * natural capacity here.
 */
final class FirstAvailable implements LoadBalancer {
    static final int SLOTS_PER_WEIGHT = 32;

    private final Candidates<Void> candidates;

    FirstAvailable(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, true, Candidates::nothing);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<Void> v = candidates.view();
        for (int i = 0; i < v.servers.length; i++) {
            BackendServer s = v.servers[i];
            if (!LoadBalancer.isExcluded(s, excluded)
                    && s.state().active().get() < Math.max(1.0, SLOTS_PER_WEIGHT * v.weights[i])) {
                return s;
            }
        }
        int i = Loads.leastLoaded(v, excluded);
        return i < 0 ? null : v.servers[i];
    }
}
