package io.duet.proxy.pool;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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

    // ---- the queue of requests waiting for a server slot (serverLimit), shared by every I/O thread

    /** A request waiting for a slot on any server of the pool. */
    public interface Waiter {
        /**
         * Gives the waiter a slot on {@code server}, already counted in its active requests. False when the waiter
         * stopped waiting (timed out, or its client left): the caller passes the slot on. Any thread; must not block.
         */
        boolean grant(BackendServer server);
    }

    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    /** Requests waiting now. */
    public int queued() {
        return queued.get();
    }

    /** Queues {@code w} unless {@code max} requests already wait. Any thread; lock-free. */
    public boolean enqueue(Waiter w, int max) {
        if (queued.incrementAndGet() > max) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(w);
        return true;
    }

    /** Takes {@code w} out of the queue (it stopped waiting). Any thread. */
    public void leave(Waiter w) {
        if (queue.remove(w)) {
            queued.decrementAndGet();
        }
    }

    /**
     * Takes a slot on {@code server} when it has fewer than {@code max} requests in flight. Any thread; lock-free.
     */
    public static boolean tryAcquire(BackendServer server, int max) {
        AtomicInteger active = server.state().active();
        while (true) {
            int n = active.get();
            if (n >= max) {
                return false;
            }
            if (active.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * A request let go of its slot on {@code server}: the slot goes to the first request still waiting (queued
     * requests go first, as in HAProxy), else it is released. Any thread; lock-free.
     */
    public void slotFreed(BackendServer server, int max) {
        while (true) {
            Waiter w;
            while ((w = queue.poll()) != null) {
                queued.decrementAndGet();
                if (w.grant(server)) {
                    return;
                }
            }
            server.state().active().decrementAndGet();
            // A request may have queued between the poll and the release: if the slot is still free, hand it over.
            if (queue.isEmpty() || !tryAcquire(server, max)) {
                return;
            }
        }
    }

    /** Tells the balancers of this pool to rebuild their candidate set. Called after the change is written. */
    public void changed() {
        generation.incrementAndGet();
    }
}
