package io.duet.config.store;

/** A proposal was based on a revision that is no longer current. */
public final class RevisionConflictException extends Exception {
    private final long expected;
    private final long actual;

    public RevisionConflictException(long expected, long actual) {
        super("DUET-CONFIG-0409 revision conflict: the change was based on revision " + expected
                + " but the current revision is " + actual + "; reload and apply the change again");
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
