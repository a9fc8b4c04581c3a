package io.duet.proxy.pool;

/**
 * The live state of one pool shared by every snapshot that contains it (kept across reloads while the pool exists).
 * Written by the health package when server availability changes; read by balancers on I/O threads.
 */
public final class PoolState {
    private volatile boolean panic;

    /**
     * True when fewer servers than the pool's panic threshold are available: balancers then spread requests over
     * every server of the pool, ignoring availability, rather than bury the few survivors.
     */
    public boolean panic() {
        return panic;
    }

    /** Health package only. */
    public void setPanic(boolean panic) {
        this.panic = panic;
    }
}
