package io.duet.proxy.pool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one pool shared by every snapshot that contains it (kept across reloads while the pool exists).
 * Written by the health package when server availability changes; read by balancers on I/O threads.
 */
public final class PoolState {
    private volatile boolean panic;
    private final AtomicLong generation = new AtomicLong();

    /**
     * True when fewer servers than the pool's panic threshold are available: balancers then spread requests over
     * every server of the pool, ignoring availability, rather than bury the few survivors.
     */
    public boolean panic() {
        return panic;
    }

    /** Health package only. */
    public void setPanic(boolean panic) {
        if (this.panic != panic) {
            this.panic = panic;
            changed();
        }
    }

    /**
     * A number that grows whenever anything a balancer selects by changes: a server's availability or weight
     * factor, or the panic flag. Balancers compare it with the generation they were built for and rebuild their
     * candidate set when it moved (see {@code io.duet.proxy.balance}). One volatile read; any thread.
     */
    public long generation() {
        return generation.get();
    }

    /** Tells the balancers of this pool to rebuild their candidate set. Called after the change is written. */
    public void changed() {
        generation.incrementAndGet();
    }
}
