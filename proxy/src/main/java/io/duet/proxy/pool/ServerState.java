package io.duet.proxy.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of one backend server, shared by every snapshot that contains the server and kept across reloads
 * while the server's pool, id, address and port do not change. This is the one place where the parts that watch a
 * server (the forwarder, active health checks, passive outlier detection, admin actions) meet the balancers that
 * read it.
 *
 * <p>Writers: the forwarder ({@link #active()}, {@link #recordLatency}) on I/O threads; the health package
 * ({@link #setAvailable}, {@link #setWeightFactor}) on its own threads. Readers: balancers on I/O threads. Every
 * field is lock-free; a balancer never blocks on it.
 */
public final class ServerState {
    /** The pool whose balancers rebuild when availability or weight factor change. */
    private final PoolState pool;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean available = true;
    private volatile boolean inService = true;
    private volatile boolean acceptsSticky = true;
    private volatile double weightFactor = 1.0;
    /** Peak-EWMA of response latency in nanoseconds; 0 until the first sample. Written racily on I/O threads. */
    private volatile long latencyEwmaNanos;
    private volatile long latencyStampNanos;

    /** A server of {@code pool}: changes of availability and weight factor bump the pool's generation. */
    public ServerState(PoolState pool) {
        this.pool = pool;
    }

    /** A server outside any pool (tests). */
    public ServerState() {
        this(new PoolState());
    }

    /** Requests in flight on this server. */
    public AtomicInteger active() {
        return active;
    }

    /**
     * True when the server may take new requests: up by its health checks, not ejected by outlier detection, not in
     * maintenance or drain. Balancers skip a server that is not available (unless the pool is in panic).
     */
    public boolean available() {
        return available;
    }

    /** Health package only. */
    public void setAvailable(boolean available) {
        if (this.available != available) {
            this.available = available;
            pool.changed();
        }
    }

    /**
     * False while an operator has the server in drain or maintenance. Such a server is never a candidate, not even
     * when the pool panics (panic spreads over servers that are down by health, not over servers taken out on
     * purpose).
     */
    public boolean inService() {
        return inService;
    }

    /** Health package only. */
    public void setInService(boolean inService) {
        if (this.inService != inService) {
            this.inService = inService;
            pool.changed();
        }
    }

    /**
     * True when clients already bound to this server (affinity cookie, source or header persistence) may still be
     * sent to it. Differs from {@link #available()} while the server drains: no new clients, but its sticky clients
     * keep coming until the drain deadline.
     */
    public boolean acceptsSticky() {
        return acceptsSticky;
    }

    /** Health package only. */
    public void setAcceptsSticky(boolean acceptsSticky) {
        this.acceptsSticky = acceptsSticky;
    }

    /**
     * Share of its configured weight the server gets now, in (0, 1]: below 1 while it ramps up after coming back
     * (slow start). Weighted balancers multiply by it.
     */
    public double weightFactor() {
        return weightFactor;
    }

    /** Health package only. */
    public void setWeightFactor(double factor) {
        if (this.weightFactor != factor) {
            this.weightFactor = factor;
            pool.changed();
        }
    }

    /**
     * Records one response latency (time to the response head). A sample above the average replaces it at once
     * (peak); a lower one decays it with a time constant of {@code decayNanos}, as Finagle's peak EWMA does.
     */
    public void recordLatency(long nanos, long nowNanos, long decayNanos) {
        long prev = latencyEwmaNanos;
        if (prev == 0 || nanos > prev) {
            latencyEwmaNanos = nanos;
        } else {
            long elapsed = Math.max(0, nowNanos - latencyStampNanos);
            double w = Math.exp(-(double) elapsed / decayNanos);
            latencyEwmaNanos = (long) (prev * w + nanos * (1 - w));
        }
        latencyStampNanos = nowNanos;
    }

    /** The peak-EWMA latency in nanoseconds, 0 before the first response. */
    public long latencyEwmaNanos() {
        return latencyEwmaNanos;
    }

    /** {@link System#nanoTime()} of the last latency sample, for decaying the average when it is read. */
    public long latencyStampNanos() {
        return latencyStampNanos;
    }
}
