package io.duet.config.store;

import io.duet.config.ConfigMessage;

/** A proposal was based on a revision that is no longer current. */
public final class RevisionConflictException extends Exception {
    private final long expected;
    private final long actual;

    public RevisionConflictException(long expected, long actual) {
        super(ConfigMessage.REVISION_CONFLICT.id() + " " + ConfigMessage.REVISION_CONFLICT.format(expected, actual));
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
