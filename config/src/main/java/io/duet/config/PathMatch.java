package io.duet.config;

/**
 * A path condition; exactly one of the three is set. Paths are compared after canonicalisation
 * (percent-decoding of unreserved characters, dot segments and duplicate slashes removed).
 *
 * @param exact  the path equals this
 * @param prefix the path equals this or continues it at a segment boundary ({@code /api} matches {@code /api}
 *               and {@code /api/x}, not {@code /apix}); a prefix ending in {@code /} matches anything below it
 * @param regex  a Java regex that must match the whole path
 */
public record PathMatch(String exact, String prefix, String regex) {
}
