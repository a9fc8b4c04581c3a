package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin as NGINX does it: over a cycle of (sum of weights) picks each server is chosen
 * weight times, interleaved rather than in bursts (weights 5,1,1 give a a b a c a a).
 *
 * <p>The schedule is periodic, so it is computed when the candidate set is built (and again when it changes:
 * a server goes down or up, slow start moves) and then walked with an atomic counter: {@code pick()} is lock-free
 * and O(1). While any candidate ramps up, every weight is multiplied by {@value #RAMP_SCALE} and the ramping ones by
 * their factor too, so the ramp shows even with weights of 1.
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {
    /** Longest precomputed cycle; 256 servers of weight 256 fit. */
    static final int MAX_CYCLE = 1 << 16;
    /** Resolution of slow-start factors in a schedule. */
    static final int RAMP_SCALE = 16;

    private final Candidates<BackendServer[]> candidates;
    private final AtomicInteger next = new AtomicInteger();

    SmoothWeightedRoundRobin(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, true, SmoothWeightedRoundRobin::schedule);
    }

    /** The cycle for these candidates and effective weights (weight x slow-start factor). */
    static BackendServer[] schedule(BackendServer[] servers, double[] effective) {
        boolean ramping = false;
        for (int i = 0; i < servers.length; i++) {
            ramping |= servers[i].state().weightFactor() < 1.0;
        }
        int scale = ramping ? RAMP_SCALE : 1;
        int[] weights = new int[servers.length];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (int) Math.max(1, Math.round(effective[i] * scale));
            total += weights[i];
        }
        if (total == 0) {
            return new BackendServer[0];
        }
        if (total > MAX_CYCLE) {
            // Scale down, keeping every weight at least 1; proportions stay within rounding.
            long scaledTotal = 0;
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (int) Math.max(1, (long) weights[i] * MAX_CYCLE / total);
                scaledTotal += weights[i];
            }
            total = scaledTotal;
        }
        int cycle = (int) total;
        BackendServer[] out = new BackendServer[cycle];
        long[] current = new long[weights.length];
        for (int k = 0; k < cycle; k++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= cycle;
            out[k] = servers[best];
        }
        return out;
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
