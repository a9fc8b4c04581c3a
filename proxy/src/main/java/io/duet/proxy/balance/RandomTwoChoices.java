package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of two choices: two distinct candidates drawn at random, the one with fewer requests in flight wins
 * (divided by the slow-start factor; weights are ignored). Close to least-connections without scanning the pool,
 * and it never herds every I/O thread onto the same idle server. O(1) per pick; no lock.
 */
final class RandomTwoChoices implements LoadBalancer {
    private final Candidates<Void> candidates;

    RandomTwoChoices(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, false, Candidates::nothing);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<Void> v = candidates.view();
        int n = v.servers.length;
        if (n == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = n == 1 ? a : (a + 1 + random.nextInt(n - 1)) % n;
        boolean aOk = !LoadBalancer.isExcluded(v.servers[a], excluded);
        boolean bOk = !LoadBalancer.isExcluded(v.servers[b], excluded);
        if (aOk && bOk) {
            return Loads.loadWithOne(v, b) < Loads.loadWithOne(v, a) ? v.servers[b] : v.servers[a];
        }
        if (aOk || bOk) {
            return v.servers[aOk ? a : b];
        }
        int i = Loads.leastLoaded(v, excluded); // both draws were tried already: any other candidate
        return i < 0 ? null : v.servers[i];
    }
}
