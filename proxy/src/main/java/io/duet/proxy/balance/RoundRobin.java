package io.duet.proxy.balance;

import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each server in turn, ignoring weights except that a server of weight 0 takes no new requests; servers that are not
 * available (health) are skipped unless the pool is in panic. Lock-free.
 */
final class RoundRobin implements LoadBalancer {
    private final BackendServer[] servers;
    private final AtomicInteger next = new AtomicInteger();
    private final PoolState pool;

    RoundRobin(List<BackendServer> servers, PoolState pool) {
        this.servers = servers.stream().filter(s -> s.weight() > 0).toArray(BackendServer[]::new);
        this.pool = pool;
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        boolean panic = pool.panic();
        for (int i = 0; i < n; i++) {
            BackendServer s = servers[(start + i) % n];
            if (!LoadBalancer.isExcluded(s, excluded) && (panic || s.state().available())) {
                return s;
            }
        }
        return null;
    }
}
