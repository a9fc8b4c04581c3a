package io.duet.proxy.balance;

import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Load arithmetic shared by the connection-aware balancers. The load of a candidate is its requests in flight
 * divided by its effective weight ({@link Candidates}); "the load with this request" adds one first, so that idle
 * servers are still told apart by weight. Pure apart from reading the live counters; I/O threads; no lock.
 */
final class Loads {
    /**
     * LVS's overload rule as Duet applies it for lblc/lblcr: a server is overloaded when its load is more than
     * twice the load the least-loaded candidate would have with this request.
     */
    static final double OVERLOAD_FACTOR = 2.0;

    private Loads() {
    }

    /** Requests in flight per unit of effective weight. */
    static double load(Candidates.View<?> v, int i) {
        return v.servers[i].state().active().get() / v.weights[i];
    }

    /** Load after adding one request. */
    static double loadWithOne(Candidates.View<?> v, int i) {
        return (v.servers[i].state().active().get() + 1) / v.weights[i];
    }

    /**
     * The candidate with the least load with this request, not excluded, or -1. Ties (an idle pool) go to one of
     * the tied candidates chosen uniformly at random, so they spread rather than favour the first server.
     */
    static int leastLoaded(Candidates.View<?> v, long excluded) {
        int best = -1;
        int ties = 0;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < v.servers.length; i++) {
            if (LoadBalancer.isExcluded(v.servers[i], excluded)) {
                continue;
            }
            double l = loadWithOne(v, i);
            if (l < bestLoad) {
                best = i;
                bestLoad = l;
                ties = 1;
            } else if (l == bestLoad && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = i;
            }
        }
        return best;
    }

    /** True when candidate {@code i} is overloaded compared with candidate {@code least} ({@link #OVERLOAD_FACTOR}). */
    static boolean overloaded(Candidates.View<?> v, int i, int least) {
        return i != least && least >= 0 && load(v, i) > OVERLOAD_FACTOR * loadWithOne(v, least);
    }

    /** The i-th candidate after {@code start} (wrapping) that is not excluded, or null. */
    static BackendServer firstFrom(BackendServer[] servers, int start, long excluded) {
        int n = servers.length;
        for (int k = 0; k < n; k++) {
            BackendServer s = servers[(start + k) % n];
            if (!LoadBalancer.isExcluded(s, excluded)) {
                return s;
            }
        }
        return null;
    }
}
