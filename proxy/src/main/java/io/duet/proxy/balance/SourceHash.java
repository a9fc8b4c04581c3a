package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client address (after trusted PROXY protocol) hashed onto a {@link HashRing} of the candidates: the same
 * client reaches the same server on both nodes of a pair and after a reload, and a server going down moves only
 * its own clients. A request without a client address (never from a socket) goes round robin. No lock.
 */
final class SourceHash implements LoadBalancer {
    private final Candidates<HashRing> candidates;
    private final AtomicInteger next = new AtomicInteger();

    SourceHash(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, true, HashRing::new);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<HashRing> v = candidates.view();
        InetAddress client = request.clientAddress();
        if (client == null) {
            return v.servers.length == 0 ? null
                    : Loads.firstFrom(v.servers, Math.floorMod(next.getAndIncrement(), v.servers.length), excluded);
        }
        return v.derived.pick(Hash64.of(client.getAddress()), excluded);
    }
}
