package io.duet.admin.api;

import io.duet.config.AdminRole;

import java.util.List;

/**
 * One row of the route table: a method and a path pattern under {@code /api/v1} (segments, {@code {name}} for a
 * parameter), who may call it, and the service that answers. A state change (any method but GET) by a session needs
 * the CSRF header. Immutable.
 *
 * @param access who may call: anyone, any logged-in caller, or a role at least {@code role}
 * @param what   what the role may not do, for the 403 ("your role (viewer) may not {@code what}")
 */
public record Route(String method, String pattern, Access access, AdminRole role, String what, Service service) {
    /** Who may call a route. */
    public enum Access {
        /** No authentication (the OpenAPI document, the login). */
        PUBLIC,
        /** Any logged-in caller, even one who must change the password first (their session, the password change). */
        CALLER,
        /** A caller whose role is at least the route's, who need not change the password first. */
        ROLE
    }

    /** A route for callers of at least {@code role}. */
    public static Route of(String method, String pattern, AdminRole role, String what, Service service) {
        return new Route(method, pattern, Access.ROLE, role, what, service);
    }

    /** A route for any logged-in caller. */
    public static Route caller(String method, String pattern, Service service) {
        return new Route(method, pattern, Access.CALLER, null, null, service);
    }

    /** A route without authentication. */
    public static Route open(String method, String pattern, Service service) {
        return new Route(method, pattern, Access.PUBLIC, null, null, service);
    }

    /** True when a session's call must carry the CSRF header: every method but GET. */
    public boolean changesState() {
        return !method.equals("GET");
    }

    /** The pattern's segments ({@code /pools/{pool}/servers} -> {@code [pools, {pool}, servers]}). */
    public List<String> segments() {
        return RouteTable.split(pattern);
    }
}
