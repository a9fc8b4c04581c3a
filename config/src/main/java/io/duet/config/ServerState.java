package io.duet.config;

import java.util.Arrays;
import java.util.List;

/**
 * The administrative states of a backend server ({@link Server#state()} stays a string on the wire; the constants
 * {@link Server#ENABLED}, {@link Server#DRAIN} and {@link Server#MAINTENANCE} are its values). The one list of
 * states: callers in other modules should use this rather than writing the names again. Immutable; any thread.
 */
public enum ServerState {
    /** Takes requests (the default). */
    ENABLED(Server.ENABLED),
    /** No new clients; clients bound to it by affinity keep coming until {@link Server#drainUntil()}. */
    DRAIN(Server.DRAIN),
    /** Out of service now. */
    MAINTENANCE(Server.MAINTENANCE);

    private static final List<String> WIRES = Arrays.stream(values()).map(ServerState::wire).toList();

    private final String wire;

    ServerState(String wire) {
        this.wire = wire;
    }

    /** The name in documents, e.g. {@code drain}. */
    public String wire() {
        return wire;
    }

    /** True for the state in which a server takes new clients. */
    public boolean inService() {
        return this == ENABLED;
    }

    /** The state with this document name (exact, lower case), or {@code null} for null or an unknown name. */
    public static ServerState from(String wire) {
        for (ServerState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return null;
    }

    /** Every document name: {@code enabled, drain, maintenance}. */
    public static List<String> wires() {
        return WIRES;
    }
}
