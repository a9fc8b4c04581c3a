package io.duet.config;

/**
 * A condition on a named value (a header, query parameter or cookie); exactly one of {@code exact},
 * {@code regex}, {@code present} is set.
 *
 * @param name    the header, parameter or cookie name
 * @param exact   some value equals this
 * @param regex   some value matches this Java regex (whole value)
 * @param present true: the name is present; false: it is absent
 * @param invert  negate the condition
 */
public record ValueMatch(String name, String exact, String regex, Boolean present, Boolean invert) {
    public ValueMatch {
        invert = invert != null && invert;
    }
}
