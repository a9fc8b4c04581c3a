package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Locality-based least connections with replication as LVS defines it: each key (default the uri) has a small
 * set of servers; a request goes to the least-loaded member of its set. When that member is overloaded (so every
 * member is: {@link Loads#overloaded} against the least-loaded candidate of the pool), the pool's least-loaded
 * candidate joins the set and takes the request. When the set has more than one member and has not changed for
 * {@link #SHRINK_AFTER_NANOS}, its most loaded member leaves it.
 *
 * <ul>
 *   <li>A new key's set starts with its {@link HashRing} owner (both nodes of a pair agree).</li>
 *   <li>Sets live in a fixed table of {@value Lblc#SLOTS} slots indexed by the key's hash, replaced
 *       copy-on-write; a set unused for {@link Lblc#IDLE_NANOS} is forgotten; members that stop being candidates
 *       leave at once.</li>
 * </ul>
 * No lock (plain atomic slot writes; a lost update forgets one change of one set). O(candidates) per pick.
 */
final class Lblcr implements LoadBalancer {
    static final long SHRINK_AFTER_NANOS = 60_000_000_000L;

    /** The servers of one key. */
    private static final class ServerSet {
        final long key;
        final BackendServer[] members;
        final long changedNanos;
        volatile long usedNanos;

        ServerSet(long key, BackendServer[] members, long changedNanos, long usedNanos) {
            this.key = key;
            this.members = members;
            this.changedNanos = changedNanos;
            this.usedNanos = usedNanos;
        }
    }

    private final Candidates<HashRing> candidates;
    private final RequestKey key;
    private final LongSupplier clock;
    private final AtomicReferenceArray<ServerSet> table = new AtomicReferenceArray<>(Lblc.SLOTS);

    Lblcr(List<BackendServer> servers, PoolState pool, RequestKey key, LongSupplier clock) {
        this.candidates = new Candidates<>(servers, pool, true, HashRing::new);
        this.key = key;
        this.clock = clock;
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<HashRing> v = candidates.view();
        if (v.servers.length == 0) {
            return null;
        }
        long h = Lblc.keyHash(key, request);
        long now = clock.getAsLong();
        int slot = Lblc.slot(h);
        ServerSet set = table.get(slot);
        boolean mine = set != null && set.key == h && now - set.usedNanos < Lblc.IDLE_NANOS;
        BackendServer[] members = mine ? set.members : new BackendServer[0];
        long changed = mine ? set.changedNanos : now;

        // Members that are still candidates; the least loaded of them that a retry does not exclude.
        int kept = 0;
        int best = -1;
        BackendServer[] live = new BackendServer[members.length + 1];
        for (BackendServer m : members) {
            int at = v.positionOf(m);
            if (at < 0) {
                continue;
            }
            live[kept++] = m;
            if (!LoadBalancer.isExcluded(m, excluded)
                    && (best < 0 || Loads.loadWithOne(v, at) < Loads.loadWithOne(v, best))) {
                best = at;
            }
        }
        boolean modified = kept != members.length;
        int least = Loads.leastLoaded(v, excluded);
        if (least < 0) {
            return null;
        }
        if (kept == 0) {
            // A new key: its ring owner, or the least loaded when the owner is overloaded.
            best = v.positionOf(v.derived.pick(h, excluded));
            if (Loads.overloaded(v, best, least)) {
                best = least;
            }
            live[kept++] = v.servers[best];
            modified = true;
        } else if (best < 0 || Loads.overloaded(v, best, least)) {
            // Every member is overloaded (or excluded by a retry): the pool's least loaded joins the set.
            best = least;
            if (!contains(live, kept, v.servers[least])) {
                live[kept++] = v.servers[least];
            }
            modified = true;
        }
        BackendServer chosen = v.servers[best];
        if (modified) {
            changed = now;
        } else if (kept > 1 && now - changed >= SHRINK_AFTER_NANOS) {
            kept = dropMostLoaded(v, live, kept, chosen);
            changed = now;
            modified = true;
        }
        if (modified || !mine) {
            table.set(slot, new ServerSet(h, Arrays.copyOf(live, kept), changed, now));
        } else {
            set.usedNanos = now;
        }
        return chosen;
    }

    private static boolean contains(BackendServer[] servers, int n, BackendServer s) {
        for (int i = 0; i < n; i++) {
            if (servers[i] == s) {
                return true;
            }
        }
        return false;
    }

    /** Removes the most loaded member other than {@code keep}; returns the new member count. */
    private static int dropMostLoaded(Candidates.View<?> v, BackendServer[] live, int kept, BackendServer keep) {
        int worst = -1;
        for (int i = 0; i < kept; i++) {
            if (live[i] != keep && (worst < 0
                    || Loads.load(v, v.positionOf(live[i])) > Loads.load(v, v.positionOf(live[worst])))) {
                worst = i;
            }
        }
        if (worst < 0) {
            return kept;
        }
        System.arraycopy(live, worst + 1, live, worst, kept - worst - 1);
        return kept - 1;
    }

    /** The members of the set of this request's key, for tests; empty when it has none. */
    List<BackendServer> members(RequestView request) {
        long h = Lblc.keyHash(key, request);
        ServerSet set = table.get(Lblc.slot(h));
        return set == null || set.key != h ? List.of() : List.of(set.members);
    }
}
