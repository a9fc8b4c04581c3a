package io.duet.config;

import java.util.List;

/**
 * A person who may use the admin UI and API.
 *
 * @param name               the login name: 1-64 of {@code A-Z a-z 0-9 . _ @ -}
 * @param role               {@code admin} (everything), {@code operator} (server states, drain, handoff) or
 *                           {@code viewer} (read only): an {@link AdminRole#wire()}
 * @param passwordHash       Argon2id in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash});
 *                           never returned by the API
 * @param mustChangePassword true until the user has set a password of their own (a generated first password)
 */
public record AdminUser(String name, String role, String passwordHash, Boolean mustChangePassword) {
    /** The role names a document may use: {@link AdminRole#wires()}. */
    public static final List<String> ROLES = AdminRole.wires();

    public AdminUser {
        mustChangePassword = mustChangePassword != null && mustChangePassword;
    }
}
