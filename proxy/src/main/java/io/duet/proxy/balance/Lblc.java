package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Locality-based least connections as LVS defines it: a key (default the uri) keeps its server until that server
 * is overloaded, then moves to the least-loaded candidate and stays there.
 *
 * <ul>
 *   <li>A key's first server is its {@link HashRing} owner (LVS takes the least loaded; the ring makes both nodes
 *       of a pair, and a reload, agree while no server is overloaded).</li>
 *   <li>Overloaded: {@link Loads#overloaded}, i.e. more than twice the load, per unit of weight, that the least
 *       loaded candidate would have with this request.</li>
 *   <li>Placements live in a fixed table of {@value #SLOTS} slots indexed by the key's hash; a key whose slot
 *       another key took, or that was idle for {@link #IDLE_NANOS}, starts again from its ring owner. A server
 *       that stops being a candidate loses its keys at once.</li>
 * </ul>
 * No lock: slots are replaced with plain atomic writes (two I/O threads placing the same key at once may both
 * write; one placement wins). O(candidates) per pick.
 */
final class Lblc implements LoadBalancer {
    static final int SLOTS = 1 << 14;
    static final long IDLE_NANOS = 300_000_000_000L;

    /** Where one key goes. */
    private static final class Placement {
        final long key;
        final BackendServer server;
        volatile long usedNanos;

        Placement(long key, BackendServer server, long usedNanos) {
            this.key = key;
            this.server = server;
            this.usedNanos = usedNanos;
        }
    }

    private final Candidates<HashRing> candidates;
    private final RequestKey key;
    private final LongSupplier clock;
    private final AtomicReferenceArray<Placement> table = new AtomicReferenceArray<>(SLOTS);

    Lblc(List<BackendServer> servers, PoolState pool, RequestKey key, LongSupplier clock) {
        this.candidates = new Candidates<>(servers, pool, true, HashRing::new);
        this.key = key;
        this.clock = clock;
    }

    /** The hash of the request's key (a missing key hashes as the empty string). */
    static long keyHash(RequestKey key, RequestView request) {
        String k = key.read(request);
        return Hash64.of(k == null ? "" : k);
    }

    /** The placement-table slot of a key hash. */
    static int slot(long h) {
        return (int) (h ^ (h >>> 32)) & (SLOTS - 1);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<HashRing> v = candidates.view();
        if (v.servers.length == 0) {
            return null;
        }
        long h = keyHash(key, request);
        long now = clock.getAsLong();
        int slot = slot(h);
        Placement p = table.get(slot);
        boolean mine = p != null && p.key == h && now - p.usedNanos < IDLE_NANOS;
        int at = mine ? v.positionOf(p.server) : -1;
        if (at < 0 || LoadBalancer.isExcluded(p.server, excluded)) {
            BackendServer owner = v.derived.pick(h, excluded);
            if (owner == null) {
                return null;
            }
            at = v.positionOf(owner);
        }
        int least = Loads.leastLoaded(v, excluded);
        if (Loads.overloaded(v, at, least)) {
            at = least;
        }
        BackendServer chosen = v.servers[at];
        if (mine && p.server == chosen) {
            p.usedNanos = now;
        } else {
            table.set(slot, new Placement(h, chosen, now));
        }
        return chosen;
    }
}
