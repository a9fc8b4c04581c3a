package io.duet.cluster.raft;

/** This member's own heartbeat was committed and applied ({@link ClusterNode#onOwnHeartbeat}). */
@FunctionalInterface
public interface OwnHeartbeatListener {
    /**
     * @param sentNanos the send time ({@link System#nanoTime} of this process)
     * @param leaseMs   the lease it was sent under
     * @param marginMs  the margin it was sent under
     */
    void committed(long sentNanos, long leaseMs, long marginMs);
}
