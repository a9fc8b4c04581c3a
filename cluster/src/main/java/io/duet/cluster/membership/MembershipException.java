package io.duet.cluster.membership;

/**
 * A membership step that failed in a way an operator can fix (no identity, a bad token, a join endpoint that cannot
 * listen): one line that starts with its stable id. The appliance reports it like its own start failures.
 */
public final class MembershipException extends Exception {
    /** Whether the operator asked for something that cannot be done here, or something failed while doing it. */
    public enum Kind { USAGE, FAILURE }

    private final String id;
    private final Kind kind;

    public MembershipException(String id, Kind kind, String message) {
        this(id, kind, message, null);
    }

    public MembershipException(String id, Kind kind, String message, Throwable cause) {
        super(id + " " + message, cause);
        this.id = id;
        this.kind = kind;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** The deepest cause's message, or its class name when it has none. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
