package io.duet.cluster.raft;

import static io.duet.cluster.message.ClusterMessage.STALE_REVISION;

/** A proposal was based on a revision that is no longer current: nothing was committed, nothing merged. */
public final class StaleRevisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long current;

    public StaleRevisionException(long base, long current) {
        super(STALE_REVISION + " the proposal was based on revision " + base + " but revision " + current
                + " is current: reload and apply the change again");
        this.current = current;
    }

    public long current() {
        return current;
    }
}
