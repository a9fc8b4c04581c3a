package io.duet.proxy.edge;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The path canonicaliser on its own: one table of accepted inputs, one of rejected ones. */
class CanonicalPathTest {

    // Each raw path canonicalises to exactly one form (escapes kept where needed).
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/|/",
        "/admin|/admin",
        "//admin|/admin",
        "///a///b//|/a/b/",
        "/pub/../admin|/admin",
        "/pub/%2e%2e/admin|/admin",
        "/pub/%2E%2E/admin|/admin",
        "/pub/.%2e/admin|/admin",
        "/pub/./admin|/pub/admin",
        "/pub/%2e/admin|/pub/admin",
        "/a/b/c/../../d|/a/d",
        "/a/b/..|/a/",
        "/a/b/.|/a/b/",
        "/a/..|/",
        "/.|/",
        "/a/|/a/",
        "/%41%62c|/Abc",
        "/%7e%5f%2d|/~_-",
        "/a%20b|/a%20b",
        "/a%3fb|/a%3Fb",
        "/%c3%a9|/%C3%A9",
        "/%252e%252e/x|/%252e%252e/x",
        "/a;b=c/d|/a;b=c/d",
        "/...|/...",
        "/a/..b/c|/a/..b/c",
        "/a.b/c|/a.b/c",
        "/é|/%E9",
    })
    void canonicalises(String raw, String expected) throws Exception {
        assertThat(CanonicalPath.canonicalize(raw)).isEqualTo(expected);
    }

    // Paths that are ambiguous or climb above the root are refused (400 at the edge).
    @ParameterizedTest
    @ValueSource(strings = {
        "/..", "/../x", "/a/../../x", "/%2e%2e/x", "/a/%2e%2e/%2e%2e/x",
        "/pub/..%2fadmin", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/pub\\..\\admin", "/a%00b",
        "/a%", "/a%4", "/a%zz", "/a%g1",
        "/pub/..;/admin", "/pub/.;x/a",
        "a/b", "",
        "/a\u0001b", "/a\u007fb",
    })
    void rejects(String raw) {
        assertThatThrownBy(() -> CanonicalPath.canonicalize(raw)).isInstanceOf(CanonicalPath.BadPathException.class);
    }

    // The decoded form the router matches: UTF-8 escapes decoded; malformed UTF-8 refused.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/a%20b|/a b",
        "/%C3%A9t%C3%A9|/été",
        "/%252e|/%2e",
        "/plain|/plain",
    })
    void decodes(String canonical, String decoded) throws Exception {
        assertThat(CanonicalPath.decode(canonical)).isEqualTo(decoded);
    }

    // An escape sequence that is not UTF-8 is refused.
    @ParameterizedTest
    @ValueSource(strings = {"/%E9", "/%C3"})
    void rejectsNonUtf8Escapes(String canonical) {
        assertThatThrownBy(() -> CanonicalPath.decode(canonical)).isInstanceOf(CanonicalPath.BadPathException.class);
    }
}
