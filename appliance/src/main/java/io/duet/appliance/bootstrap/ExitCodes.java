package io.duet.appliance.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process exit codes of every {@code duet} command. Stable: scripts and systemd units depend on them.
 * The same table is printed by every command's {@code --help}.
 */
public final class ExitCodes {
    /** Success; for {@code check}: the document is valid (warnings allowed). */
    public static final int OK = 0;
    /** The configuration document is invalid ({@code check}, or {@code run} with an invalid stored document). */
    public static final int INVALID_DOCUMENT = 1;
    /** Usage error, unreadable file, or an invalid node bootstrap ({@code duet.properties} or environment). */
    public static final int USAGE = 2;
    /** The node could not start (port in use, I/O error) or a resource is missing from this build. */
    public static final int STARTUP = 3;
    /** A bug in Duet: rerun with {@code --debug} and report the stack trace. */
    public static final int INTERNAL = 70;

    /** The table printed under "Exit codes:" in every command's help, in order. */
    public static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "success; check: the document is valid (warnings allowed)");
        m.put(Integer.toString(INVALID_DOCUMENT), "the configuration document is invalid");
        m.put(Integer.toString(USAGE), "usage error, unreadable file, or invalid node bootstrap"
                + " (properties file or DUET_* variables)");
        m.put(Integer.toString(STARTUP), "the node could not start (e.g. port in use), or this build lacks"
                + " a resource");
        m.put(Integer.toString(INTERNAL), "internal error (a bug): rerun with --debug and report the stack trace");
        return m;
    }

    private ExitCodes() {
    }
}
