package io.duet.appliance;

/**
 * A failure an operator can fix, reported as one line that starts with its stable id, then the process exits with
 * {@link #exitCode()}. The stack trace is shown only with {@code --debug}.
 */
final class StartupException extends Exception {
    private final String id;
    private final int exitCode;

    StartupException(String id, int exitCode, String message) {
        this(id, exitCode, message, null);
    }

    StartupException(String id, int exitCode, String message, Throwable cause) {
        super(id + " " + message, cause);
        this.id = id;
        this.exitCode = exitCode;
    }

    /** Several problems of the same kind: one line each, every line starting with the id. */
    StartupException(String id, int exitCode, java.util.List<String> problems) {
        this(id, exitCode, String.join("\n" + id + " ", problems));
    }

    String id() {
        return id;
    }

    int exitCode() {
        return exitCode;
    }
}
