package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The conservative "this match hides that one" test behind the unreachable-route warning. */
class MatchRulesTest {
    private static RouteMatch exact(String path) {
        return new RouteMatch(new PathMatch(path, null, null), null, null, null, null, null, null);
    }

    private static RouteMatch prefix(String path) {
        return RouteMatch.pathPrefix(path);
    }

    private static RouteMatch regex(String regex) {
        return new RouteMatch(new PathMatch(null, null, regex), null, null, null, null, null, null);
    }

    // A prefix covers what it matches at segment boundaries; a trailing '/' covers only what lies below it.
    @Test
    void prefixSemantics() {
        assertThat(MatchRules.prefixMatches("/api", "/api")).isTrue();
        assertThat(MatchRules.prefixMatches("/api", "/api/v1")).isTrue();
        assertThat(MatchRules.prefixMatches("/api", "/apix")).isFalse();
        assertThat(MatchRules.prefixMatches("/docs/", "/docs/a")).isTrue();
        assertThat(MatchRules.prefixMatches("/docs/", "/docs")).isFalse();
    }

    // No path covers everything; prefixes cover the exact paths and prefixes they match; exact covers only itself.
    @Test
    void covers() {
        assertThat(MatchRules.covers(RouteMatch.any(), regex("/x.*"))).isTrue();
        assertThat(MatchRules.covers(prefix("/api"), exact("/api/v1"))).isTrue();
        assertThat(MatchRules.covers(prefix("/api"), prefix("/api/"))).isTrue();
        assertThat(MatchRules.covers(prefix("/api"), prefix("/apix"))).isFalse();
        assertThat(MatchRules.covers(exact("/a"), exact("/a"))).isTrue();
        assertThat(MatchRules.covers(exact("/a"), prefix("/a"))).isFalse();
    }

    // Regex paths and conditions other than the path never count as covering; a regex is never covered by a path.
    @Test
    void onlyPathOnlyLiteralsCover() {
        assertThat(MatchRules.covers(regex("/.*"), exact("/a"))).isFalse();
        assertThat(MatchRules.covers(prefix("/"), regex("/a.*"))).isFalse();
        RouteMatch getOnly = new RouteMatch(new PathMatch(null, "/", null), List.of("GET"), null, null, null, null,
                null);
        assertThat(MatchRules.covers(getOnly, exact("/a"))).isFalse();
        assertThat(MatchRules.covers(prefix("/"), getOnly)).isTrue();
    }

    // Only a path-only '/' prefix matches every path; OPTIONS * reaches what has no path or a regex matching '*'.
    @Test
    void rootPrefixAndOptionsAsterisk() {
        assertThat(MatchRules.matchesEveryPath(prefix("/"))).isTrue();
        assertThat(MatchRules.matchesEveryPath(prefix("/a"))).isFalse();
        assertThat(MatchRules.matchesEveryPath(RouteMatch.any())).isFalse();
        assertThat(MatchRules.matchesEveryPath(new RouteMatch(new PathMatch(null, "/", null), List.of("GET"), null,
                null, null, null, null))).isFalse();
        assertThat(MatchRules.mayMatchAsterisk(RouteMatch.any())).isTrue();
        assertThat(MatchRules.mayMatchAsterisk(regex(".*"))).isTrue();
        assertThat(MatchRules.mayMatchAsterisk(regex("/.*"))).isFalse();
        assertThat(MatchRules.mayMatchAsterisk(prefix("/"))).isFalse();
        assertThat(MatchRules.mayMatchAsterisk(new RouteMatch(null, List.of("GET", "OPTIONS"), null, null, null, null,
                null))).isTrue();
        assertThat(MatchRules.mayMatchAsterisk(new RouteMatch(null, List.of("GET"), null, null, null, null,
                null))).isFalse();
    }
}
