package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each candidate in turn, in document order, ignoring weights (a server of weight 0 takes no new requests).
 * While a server ramps up (slow start) the turn order becomes a smooth weighted schedule of the ramp factors.
 * Lock-free: one volatile generation check and one atomic increment per pick.
 */
final class RoundRobin implements LoadBalancer {
    private final Candidates<BackendServer[]> candidates;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobin(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, false, SmoothWeightedRoundRobin::schedule);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        BackendServer[] schedule = candidates.view().derived;
        int n = schedule.length;
        if (n == 0) {
            return null;
        }
        return Loads.firstFrom(schedule, Math.floorMod(next.getAndIncrement(), n), excluded);
    }
}
