package io.duet.admin.api;

import io.duet.admin.auth.Sessions;
import io.duet.config.AdminRole;

/**
 * Who is calling, and from where: a user with a session, or an API token ({@code token}); {@code address} for the
 * audit. Immutable.
 */
public record Caller(String name, AdminRole role, Sessions.Session session, boolean token, boolean mustChangePassword,
                     String address) {

    /** The role a user or token of the document names (the validator admits only {@link AdminRole#wires()}). */
    public static AdminRole role(String wire) {
        AdminRole role = AdminRole.from(wire);
        if (role == null) {
            throw new IllegalArgumentException("not a role: " + wire);
        }
        return role;
    }
}
