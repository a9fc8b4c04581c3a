package io.duet.config;

/**
 * A token for automation ({@code Authorization: Bearer duet_...}); only its SHA-256 is kept. Every token expires:
 * at {@code expires}, at most {@value #MAX_DAYS} days after {@code created}.
 *
 * @param id      16 hex digits, shown in lists and the audit log (the token's public part)
 * @param name    what it is for, e.g. "ci-deploy"
 * @param role    {@code admin}, {@code operator} or {@code viewer} (an {@link AdminRole#wire()})
 * @param sha256  hex SHA-256 of the whole token; never returned by the API
 * @param created epoch milliseconds
 * @param owner   the user who made it
 * @param expires epoch milliseconds after which it is refused; absent (a token made before tokens expired):
 *                {@value #MAX_DAYS} days after {@code created}
 */
public record ApiToken(String id, String name, String role, String sha256, Long created, String owner, Long expires) {
    /** Lifetime of a new token unless its maker asks for another. */
    public static final int DEFAULT_DAYS = 90;
    /** The longest lifetime a token may have. */
    public static final int MAX_DAYS = 365;
    public static final long DAY_MS = 86_400_000L;

    /** A token without an expiry of its own (see {@link #expiresAt()}). */
    public ApiToken(String id, String name, String role, String sha256, Long created, String owner) {
        this(id, name, role, sha256, created, owner, null);
    }

    /**
     * When the token stops working, epoch milliseconds: {@code expires}, else {@value #MAX_DAYS} days after
     * {@code created}, else at once (a token without either was never made by Duet).
     */
    public long expiresAt() {
        if (expires != null) {
            return expires;
        }
        return created == null ? 0 : created + MAX_DAYS * DAY_MS;
    }

    /** True when the token no longer works at {@code nowMs}. */
    public boolean expiredAt(long nowMs) {
        return nowMs >= expiresAt();
    }

    @Override
    public String toString() {
        return "ApiToken[id=" + id + ", name=" + name + ", role=" + role + "]"; // never the hash
    }
}
