package io.duet.appliance.bootstrap;

/** What an operator is told about a failure: the message of its deepest cause. Stateless. */
public final class Causes {
    private Causes() {
    }

    /** The deepest cause's message, or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
