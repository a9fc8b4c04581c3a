package io.duet.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The roles of admin users and API tokens, strongest first, and their names in documents ({@link AdminUser#role()},
 * {@link ApiToken#role()} stay strings on the wire). The one list of roles: callers in other modules should use
 * this rather than writing the names again. Immutable; any thread.
 */
public enum AdminRole {
    /** Everything, including users, tokens, certificates and the whole document. */
    ADMIN,
    /** Server states, drain, handoff; reads everything an admin reads except secrets. */
    OPERATOR,
    /** Read only. */
    VIEWER;

    private static final List<String> WIRES = Arrays.stream(values()).map(AdminRole::wire).toList();

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name in documents, e.g. {@code operator}. */
    public String wire() {
        return wire;
    }

    /** True when this role may do what {@code required} may (an admin may do what an operator may, and so on). */
    public boolean allows(AdminRole required) {
        return ordinal() <= required.ordinal();
    }

    /** The role with this document name (exact, lower case), or {@code null} for null or an unknown name. */
    public static AdminRole from(String wire) {
        for (AdminRole r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return null;
    }

    /** Every document name, strongest first: {@code admin, operator, viewer}. */
    public static List<String> wires() {
        return WIRES;
    }
}
