package io.duet.config;

/**
 * A path prefix rewrite applied before forwarding. The matched {@code prefix} is replaced by
 * {@code replacement}; an empty replacement strips the prefix. The result always starts with {@code /}.
 * Example: prefix {@code /api}, replacement {@code ""}: {@code /api/users?x=1} is forwarded as
 * {@code /users?x=1}.
 *
 * @param prefix      must be a prefix of every path the route matches (checked at request time; no
 *                    rewrite when it is not)
 * @param replacement default empty (strip)
 */
public record Rewrite(String prefix, String replacement) {
    public Rewrite {
        replacement = replacement == null ? "" : replacement;
    }
}
