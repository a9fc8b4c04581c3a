package io.duet.config;

/**
 * The pair's failover timers (cluster mode), the same on every member because they are part of the replicated
 * document. docs/pair-safety.md says what each guards against and what each choice costs.
 *
 * @param heartbeatMs how often each member commits a heartbeat (default 200)
 * @param leaseMs     a proxy whose own last heartbeat was sent longer ago than this drops its VIPs (default 900)
 * @param marginMs    the others claim a silent holder's VIPs only after lease + margin; its VIPs' kernel gates close
 *                    120 ms before that (default 300)
 */
public record Failover(Long heartbeatMs, Long leaseMs, Long marginMs) {
    public static final long DEFAULT_HEARTBEAT_MS = 200;
    public static final long DEFAULT_LEASE_MS = 900;
    public static final long DEFAULT_MARGIN_MS = 300;

    public Failover {
        heartbeatMs = heartbeatMs == null ? DEFAULT_HEARTBEAT_MS : heartbeatMs;
        leaseMs = leaseMs == null ? DEFAULT_LEASE_MS : leaseMs;
        marginMs = marginMs == null ? DEFAULT_MARGIN_MS : marginMs;
    }

    /** The defaults. */
    public static Failover defaults() {
        return new Failover(null, null, null);
    }
}
