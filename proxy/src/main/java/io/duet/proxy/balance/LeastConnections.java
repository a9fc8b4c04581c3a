package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;

/**
 * The candidate with the fewest requests in flight (divided by its slow-start factor, so a ramping server looks
 * busier); ties go to a random one of them. Weights are ignored. O(candidates) per pick; no lock.
 */
final class LeastConnections implements LoadBalancer {
    private final Candidates<Void> candidates;

    LeastConnections(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, false, Candidates::nothing);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<Void> v = candidates.view();
        int i = Loads.leastLoaded(v, excluded);
        return i < 0 ? null : v.servers[i];
    }
}
