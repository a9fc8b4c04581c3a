package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code hash} balancer: a request key ({@link RequestKey}: uri, path, header, cookie or query parameter)
 * hashed onto a {@link HashRing} of the candidates. The same key reaches the same server on both nodes of a pair
 * and after a reload; adding or removing one of N servers moves about 1/N of the keys. A request without the key
 * (header absent, ...) goes round robin, as HAProxy does. No lock.
 */
final class ConsistentHash implements LoadBalancer {
    private final Candidates<HashRing> candidates;
    private final RequestKey key;
    private final AtomicInteger next = new AtomicInteger();

    ConsistentHash(List<BackendServer> servers, PoolState pool, RequestKey key) {
        this.candidates = new Candidates<>(servers, pool, true, HashRing::new);
        this.key = key;
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<HashRing> v = candidates.view();
        String k = key.read(request);
        if (k == null) {
            return v.servers.length == 0 ? null
                    : Loads.firstFrom(v.servers, Math.floorMod(next.getAndIncrement(), v.servers.length), excluded);
        }
        return v.derived.pick(Hash64.of(k), excluded);
    }
}
