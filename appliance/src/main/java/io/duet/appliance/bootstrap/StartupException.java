package io.duet.appliance.bootstrap;

/**
 * A failure an operator can fix, reported as one line that starts with its stable id, then the process exits with
 * {@link #exitCode()}. The stack trace is shown only with {@code --debug}.
 */
public final class StartupException extends Exception {
    private final String id;
    private final int exitCode;

    public StartupException(String id, int exitCode, String message) {
        this(id, exitCode, message, null);
    }

    public StartupException(String id, int exitCode, String message, Throwable cause) {
        super(id + " " + message, cause);
        this.id = id;
        this.exitCode = exitCode;
    }

    /** Several problems of the same kind: one line each, every line starting with the id. */
    public StartupException(String id, int exitCode, java.util.List<String> problems) {
        this(id, exitCode, String.join("\n" + id + " ", problems));
    }

    /** A membership step's failure (identity, join, tokens), reported the same way (usage: exit 2, failure: exit 3). */
    public static StartupException from(io.duet.cluster.membership.MembershipException e) {
        StartupException s = new StartupException(e.id(), e.kind() == io.duet.cluster.membership.MembershipException.Kind.USAGE
                ? ExitCodes.USAGE : ExitCodes.STARTUP, e.getMessage().substring(e.id().length() + 1), e.getCause());
        s.setStackTrace(e.getStackTrace());
        return s;
    }

    public String id() {
        return id;
    }

    public int exitCode() {
        return exitCode;
    }
}
