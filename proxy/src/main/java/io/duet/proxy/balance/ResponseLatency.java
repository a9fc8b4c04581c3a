package io.duet.proxy.balance;

import io.duet.proxy.pool.BackendServer;

/**
 * The forwarder's hook for least-response-time: one latency sample per forwarded request, taken when the response
 * head arrives. I/O thread; no lock, no allocation.
 */
public final class ResponseLatency {
    /** Time constant of the peak-EWMA (Finagle's default): a sample weighs half after about 7 s. */
    public static final long DECAY_NANOS = 10_000_000_000L;

    private ResponseLatency() {
    }

    /**
     * Records the time from {@code startNanos} ({@link System#nanoTime()} when forwarding began) to now in the
     * server's peak-EWMA.
     */
    public static void record(BackendServer server, long startNanos) {
        long now = System.nanoTime();
        server.state().recordLatency(Math.max(1, now - startNanos), now, DECAY_NANOS);
    }
}
