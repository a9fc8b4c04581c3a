package io.duet.admin.api;

import io.duet.admin.auth.Sessions;

/**
 * Who is calling, and from where: a user with a session, or an API token ({@code token}); {@code address} for the
 * audit. Immutable.
 */
public record Caller(String name, Role role, Sessions.Session session, boolean token, boolean mustChangePassword,
                     String address) {
}
