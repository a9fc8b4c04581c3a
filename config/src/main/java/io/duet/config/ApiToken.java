package io.duet.config;

/**
 * A token for automation ({@code Authorization: Bearer duet_...}); only its SHA-256 is kept.
 *
 * @param id      16 hex digits, shown in lists and the audit log (the token's public part)
 * @param name    what it is for, e.g. "ci-deploy"
 * @param role    {@code admin}, {@code operator} or {@code viewer}
 * @param sha256  hex SHA-256 of the whole token; never returned by the API
 * @param created epoch milliseconds
 * @param owner   the user who made it
 */
public record ApiToken(String id, String name, String role, String sha256, Long created, String owner) {
}
