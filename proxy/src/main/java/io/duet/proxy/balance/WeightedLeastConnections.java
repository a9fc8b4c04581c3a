package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;

/**
 * The candidate with the least (requests in flight + 1) / (weight x slow-start factor), as HAProxy's leastconn
 * with weights: a server of weight 3 carries three times the requests of a server of weight 1. Ties go to a random
 * one of them. O(candidates) per pick; no lock.
 */
final class WeightedLeastConnections implements LoadBalancer {
    private final Candidates<Void> candidates;

    WeightedLeastConnections(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, true, Candidates::nothing);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<Void> v = candidates.view();
        int i = Loads.leastLoaded(v, excluded);
        return i < 0 ? null : v.servers[i];
    }
}
