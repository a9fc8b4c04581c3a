package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;
import io.duet.proxy.pool.ServerState;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The candidate with the lowest expected wait, as Finagle's peak-EWMA balancer: cost = latency x (requests in
 * flight + 1) / slow-start factor, where latency is the server's peak-EWMA time to the response head
 * ({@link ServerState#recordLatency}, fed by {@link ResponseLatency}), decayed towards zero with time constant
 * {@link ResponseLatency#DECAY_NANOS} since its last sample, so a server that was slow once and then got no
 * traffic is tried again rather than shunned forever. A server with no sample yet costs 0 while idle (it gets a
 * probe) and {@link #UNMEASURED_PENALTY_NANOS} per request in flight otherwise (one probe at a time). Ties go to a
 * random one of them. Weights are ignored. O(candidates) per pick; no lock.
 */
final class LeastResponseTime implements LoadBalancer {
    static final long UNMEASURED_PENALTY_NANOS = 1_000_000_000L;

    private final Candidates<Void> candidates;

    LeastResponseTime(List<BackendServer> servers, PoolState pool) {
        this.candidates = new Candidates<>(servers, pool, false, Candidates::nothing);
    }

    @Override
    public BackendServer pick(RequestView request, long excluded) {
        Candidates.View<Void> v = candidates.view();
        int n = v.servers.length;
        if (n == 0) {
            return null;
        }
        long now = System.nanoTime();
        BackendServer best = null;
        double bestCost = Double.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            BackendServer s = v.servers[i];
            if (LoadBalancer.isExcluded(s, excluded)) {
                continue;
            }
            double c = cost(s.state(), now) / v.weights[i];
            if (c < bestCost) {
                best = s;
                bestCost = c;
                ties = 1;
            } else if (c == bestCost && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = s;
            }
        }
        return best;
    }

    /** Expected wait at this server with one more request, in nanoseconds. */
    static double cost(ServerState st, long now) {
        int active = st.active().get();
        long ewma = st.latencyEwmaNanos();
        if (ewma == 0) {
            return active == 0 ? 0 : (double) UNMEASURED_PENALTY_NANOS * active;
        }
        double age = Math.max(0, now - st.latencyStampNanos());
        double latency = ewma * Math.exp(-age / ResponseLatency.DECAY_NANOS);
        return latency * (active + 1);
    }
}
