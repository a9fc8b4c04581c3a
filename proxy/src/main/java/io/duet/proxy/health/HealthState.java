package io.duet.proxy.health;

/**
 * The summary state of one server, in order of precedence: an administrative state beats a check result, a failed
 * check beats an ejection. The {@link #code()} is exported as {@code duet_server_health_state}.
 */
public enum HealthState {
    /** Takes new requests. */
    UP(1),
    /** Failed its active checks ({@code fall} in a row); comes back after {@code rise} good ones. */
    DOWN(0),
    /** Ejected by passive outlier detection until its ejection time ends. */
    EJECTED(2),
    /** Administrative drain: no new clients; sticky clients until the drain deadline. */
    DRAINING(3),
    /** Administrative maintenance: out now. */
    MAINTENANCE(4);

    private final int code;

    HealthState(int code) {
        this.code = code;
    }

    /** The number exported in metrics: 0 down, 1 up, 2 ejected, 3 draining, 4 maintenance. */
    public int code() {
        return code;
    }
}
