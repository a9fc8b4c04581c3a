package io.duet.proxy.balance;

import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.ArrayList;
import java.util.List;

/**
 * The servers a balancer may pick from right now, and whatever the balancer derives from them (a schedule, a hash
 * ring), rebuilt when the pool's live state changes. This is how "a pool rebuilds its balancer from the set of
 * servers that are up" (architecture, flow 3) without anyone having to call the balancer: every
 * {@link io.duet.proxy.pool.ServerState} setter that matters (availability, weight factor) and
 * {@link PoolState#setPanic} bump {@link PoolState#generation()}; {@link #view()} compares one volatile long and
 * rebuilds on the first pick after a change.
 *
 * <p>Selection rule, the same for every algorithm:
 * <ol>
 *   <li>servers of weight 0 are never candidates;</li>
 *   <li>the available primary servers; when the pool is in panic and at least one primary is available, every
 *       primary in service instead, up or not (Envoy's panic threshold: spread rather than bury the survivors);</li>
 *   <li>else the available backup servers;</li>
 *   <li>else, in panic, every primary in service (or every backup if all primaries have weight 0); else none (503).
 *       "In service": not in drain or maintenance; panic never overrides an operator.</li>
 * </ol>
 * Effective weight of a candidate: its configured weight (1 for unweighted algorithms) times its slow-start
 * {@link io.duet.proxy.pool.ServerState#weightFactor()}, clamped to [0.01, 1].
 *
 * <p>Threads: {@link #view()} runs on I/O threads; it never locks. Two threads that see a change at once may both
 * rebuild; they build the same thing and the last write wins (an older view written last is rebuilt again on the
 * next pick). A rebuild costs O(servers) plus the derived structure (SWRR schedule: O(cycle x servers), at most
 * 65536 entries; hash ring: 160 points per unit of weight, sorted).
 *
 * @param <T> what the balancer derives from the candidates
 */
final class Candidates<T> {
    /** Builds what a balancer needs from the candidates; called on the thread that notices a change. */
    interface Deriver<T> {
        T derive(BackendServer[] servers, double[] weights);
    }

    /** One immutable selection. {@code position[server.index()]} is its place in {@code servers}, or -1. */
    static final class View<T> {
        final long generation;
        final BackendServer[] servers;
        final double[] weights;
        final int[] position;
        final T derived;

        View(long generation, BackendServer[] servers, double[] weights, int[] position, T derived) {
            this.generation = generation;
            this.servers = servers;
            this.weights = weights;
            this.position = position;
            this.derived = derived;
        }

        /** The place of this server among the candidates, or -1 when it is not one now. */
        int positionOf(BackendServer s) {
            int i = s.index();
            return i < position.length ? position[i] : -1;
        }
    }

    private final BackendServer[] primaries;
    private final BackendServer[] backups;
    private final int indexLimit;
    private final PoolState pool;
    private final boolean weighted;
    private final Deriver<T> deriver;
    private volatile View<T> view;

    /**
     * @param servers  every server of the pool, in document order
     * @param weighted whether configured weights count (else every candidate weighs 1 before slow start)
     */
    Candidates(List<BackendServer> servers, PoolState pool, boolean weighted, Deriver<T> deriver) {
        List<BackendServer> p = new ArrayList<>();
        List<BackendServer> b = new ArrayList<>();
        int limit = 0;
        for (BackendServer s : servers) {
            limit = Math.max(limit, s.index() + 1);
            if (s.weight() > 0) {
                (s.backup() ? b : p).add(s);
            }
        }
        this.primaries = p.toArray(BackendServer[]::new);
        this.backups = b.toArray(BackendServer[]::new);
        this.indexLimit = limit;
        this.pool = pool;
        this.weighted = weighted;
        this.deriver = deriver;
        this.view = build(pool.generation());
    }

    /** The current selection; rebuilds it first when the pool's live state changed. I/O thread; no lock. */
    View<T> view() {
        long g = pool.generation();
        View<T> v = view;
        if (v.generation == g) {
            return v;
        }
        v = build(g);
        view = v;
        return v;
    }

    private View<T> build(long generation) {
        boolean panic = pool.panic();
        BackendServer[] chosen = available(primaries);
        if (chosen.length > 0) {
            chosen = panic ? inService(primaries) : chosen;
        } else {
            chosen = available(backups);
            if (chosen.length == 0 && panic) {
                chosen = inService(primaries.length > 0 ? primaries : backups);
            }
        }
        double[] weights = new double[chosen.length];
        int[] position = new int[indexLimit];
        java.util.Arrays.fill(position, -1);
        for (int i = 0; i < chosen.length; i++) {
            BackendServer s = chosen[i];
            double factor = Math.min(1.0, Math.max(0.01, s.state().weightFactor()));
            weights[i] = (weighted ? s.weight() : 1) * factor;
            position[s.index()] = i;
        }
        return new View<>(generation, chosen, weights, position, deriver.derive(chosen, weights));
    }

    /** The servers not in drain or maintenance (panic never overrides an operator). */
    private static BackendServer[] inService(BackendServer[] servers) {
        return only(servers, s -> s.state().inService());
    }

    private static BackendServer[] available(BackendServer[] servers) {
        return only(servers, s -> s.state().available());
    }

    /** The servers that pass {@code test}; the same array when all do (the common case allocates nothing). */
    private static BackendServer[] only(BackendServer[] servers, java.util.function.Predicate<BackendServer> test) {
        int n = 0;
        for (BackendServer s : servers) {
            if (test.test(s)) {
                n++;
            }
        }
        if (n == servers.length) {
            return servers;
        }
        BackendServer[] out = new BackendServer[n];
        int i = 0;
        for (BackendServer s : servers) {
            if (test.test(s)) {
                out[i++] = s;
            }
        }
        return out;
    }

    /** No derived structure. */
    static Void nothing(BackendServer[] servers, double[] weights) {
        return null;
    }
}
