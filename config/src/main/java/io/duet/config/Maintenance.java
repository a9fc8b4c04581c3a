package io.duet.config;

/**
 * The maintenance switch of a virtual host or a route: while on, its requests get a maintenance page with 503 and
 * {@code Retry-After}.
 *
 * @param enabled on or off (default off)
 */
public record Maintenance(Boolean enabled) {
    public Maintenance {
        enabled = enabled != null && enabled;
    }
}
