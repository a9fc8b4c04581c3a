package io.duet.proxy.balance;

import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.pool.BackendServer;

import java.util.Arrays;

/**
 * A consistent-hash ring with virtual nodes, computed only from the document: server ids and weights. Each
 * candidate gets {@value #POINTS_PER_WEIGHT} points per unit of effective weight (as NGINX's {@code hash ...
 * consistent}; slow start scales the count, and since a server's points are a prefix of one fixed sequence, a
 * ramping server only takes keys over, a little more at each step). Point {@code j} of server {@code id} is
 * {@code mix(Hash64(id) + (j + 1) * GOLDEN)} ({@link Hash64}). A key goes to the first point at or after its hash,
 * clockwise, skipping servers a retry excludes. Removing a server moves only its own keys (about 1/N of them);
 * adding one takes about 1/(N+1) from the others.
 *
 * <p>Points keep the top 47 bits of their hash above a 16-bit candidate position, so the ring is one sorted
 * {@code long[]} (8 bytes a point); two points whose 47-bit hashes tie (about 1 in 10^6 rings of 40,000 points)
 * are ordered by document position. Immutable; lookup O(log points), no allocation; any thread.
 */
final class HashRing {
    static final int POINTS_PER_WEIGHT = 160;
    private static final int POSITION_BITS = 16;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;

    private final BackendServer[] servers;
    private final long[] points;

    HashRing(BackendServer[] servers, double[] weights) {
        if (servers.length > POSITION_MASK + 1) {
            throw new IllegalArgumentException("a hash ring holds at most 65536 servers, not " + servers.length);
        }
        this.servers = servers;
        int total = 0;
        int[] counts = new int[servers.length];
        for (int i = 0; i < servers.length; i++) {
            counts[i] = (int) Math.max(1, Math.round(POINTS_PER_WEIGHT * weights[i]));
            total += counts[i];
        }
        long[] p = new long[total];
        int k = 0;
        for (int i = 0; i < servers.length; i++) {
            long seed = Hash64.of(servers[i].id());
            for (int j = 0; j < counts[i]; j++) {
                p[k++] = position(Hash64.mix(seed + (j + 1) * Hash64.GOLDEN)) | i;
            }
        }
        Arrays.sort(p);
        this.points = p;
    }

    /** The top 47 bits of a hash, shifted above the position bits: non-negative, so signed order is ring order. */
    private static long position(long hash) {
        return (hash >>> (POSITION_BITS + 1)) << POSITION_BITS;
    }

    /** The server owning {@code keyHash}, or the next one clockwise that is not excluded; null if all are. */
    BackendServer pick(long keyHash, long excluded) {
        if (points.length == 0) {
            return null;
        }
        int at = Arrays.binarySearch(points, position(keyHash));
        if (at < 0) {
            at = -at - 1;
        }
        if (excluded == 0) {
            return servers[(int) (points[at == points.length ? 0 : at] & POSITION_MASK)];
        }
        boolean any = false;
        for (BackendServer s : servers) {
            any |= !LoadBalancer.isExcluded(s, excluded);
        }
        if (!any) {
            return null;
        }
        for (int k = 0; ; k++) {
            int i = at + k;
            BackendServer s = servers[(int) (points[i % points.length] & POSITION_MASK)];
            if (!LoadBalancer.isExcluded(s, excluded)) {
                return s;
            }
        }
    }

    /** Points on the ring (tests). */
    int size() {
        return points.length;
    }
}
