package io.duet.proxy.balance;

import io.duet.proxy.pool.BackendServer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin as NGINX does it: over a cycle of (sum of weights) picks each server is chosen
 * weight times, interleaved rather than in bursts (weights 5,1,1 give a a b a c a a).
 *
 * <p>The schedule is periodic, so it is computed once when the pool is built and then walked with an atomic
 * counter: {@code pick()} is lock-free and O(1). Servers of weight 0 are never picked.
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {
    /** Longest precomputed cycle; 256 servers of weight 256 fit. */
    static final int MAX_CYCLE = 1 << 16;

    private final BackendServer[] schedule;
    private final AtomicInteger next = new AtomicInteger();

    SmoothWeightedRoundRobin(List<BackendServer> servers) {
        this.schedule = schedule(servers);
    }

    static BackendServer[] schedule(List<BackendServer> servers) {
        int total = 0;
        for (BackendServer s : servers) {
            total += Math.max(0, s.weight());
        }
        if (total == 0) {
            return new BackendServer[0];
        }
        int[] weights = new int[servers.size()];
        if (total > MAX_CYCLE) {
            // Scale down, keeping every positive weight at least 1; proportions stay within rounding.
            int scaledTotal = 0;
            for (int i = 0; i < weights.length; i++) {
                int w = servers.get(i).weight();
                weights[i] = w <= 0 ? 0 : Math.max(1, (int) ((long) w * MAX_CYCLE / total));
                scaledTotal += weights[i];
            }
            total = scaledTotal;
        } else {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Math.max(0, servers.get(i).weight());
            }
        }
        BackendServer[] out = new BackendServer[total];
        int[] current = new int[weights.length];
        for (int k = 0; k < total; k++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                current[i] += weights[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out[k] = servers.get(best);
        }
        return out;
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        int n = schedule.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            BackendServer s = schedule[(start + i) % n];
            if (!LoadBalancer.isExcluded(s, excluded)) {
                return s;
            }
        }
        return null;
    }
}
