package io.duet.config;

/**
 * A header rule: {@code set} replaces every value, {@code add} appends a value, {@code remove} deletes the
 * header. Hop-by-hop headers cannot be the target of a rule.
 *
 * @param op    set, add or remove
 * @param name  header name
 * @param value value for set and add
 */
public record HeaderRule(String op, String name, String value) {
}
