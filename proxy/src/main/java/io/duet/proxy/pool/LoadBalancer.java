package io.duet.proxy.pool;


/**
 * Chooses a server of a pool for one request. One small final class per algorithm; {@link Balancers#of} builds
 * them from a pool's settings and its servers. Each picks among the live candidates of {@link Candidates}
 * (available servers, backups only without an available primary, everyone in panic, slow-start weights), rebuilt
 * lock-free when server state changes; otherwise state is limited to atomic counters and lblc/lblcr's atomic tables.
 */
public interface LoadBalancer {

    /**
     * The server for this request, or {@code null} when every candidate is excluded. Called on an I/O thread;
     * must not block or lock.
     *
     * @param request  what the algorithm may look at (unused by round robin)
     * @param excluded bit {@code i} set: server with {@link BackendServer#index()} {@code i} was already tried
     */
    BackendServer pick(RequestView request, long excluded);

    /** True when the bit of this server is set in the mask (servers beyond 64 are never excluded). */
    static boolean isExcluded(BackendServer server, long excluded) {
        int i = server.index();
        return i < 64 && (excluded & (1L << i)) != 0;
    }
}
