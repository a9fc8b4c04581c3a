package io.duet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.duet.config.ValidationRun.isToken;

/**
 * The rules of a route's match (path, methods, headers, query, cookies, content types, body), and the
 * conservative test of whether one match hides another.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class MatchRules {
    private MatchRules() {
    }

    static void match(ValidationRun run, String p, RouteMatch m) {
        if (m.path() != null) {
            PathMatch pm = m.path();
            List<String> set = new ArrayList<>(3);
            if (pm.exact() != null) {
                set.add("exact");
                run.absolutePath(p + ".path.exact", "exact", pm.exact());
            }
            if (pm.prefix() != null) {
                set.add("prefix");
                run.absolutePath(p + ".path.prefix", "prefix", pm.prefix());
            }
            if (pm.regex() != null) {
                set.add("regex");
                run.regex(p + ".path.regex", "regex", pm.regex());
            }
            if (set.size() != 1) {
                run.add(ConfigMessage.NOT_EXACTLY_ONE.at(p + ".path", "path", set.isEmpty() ? "none set"
                        : String.join(", ", set) + " set", "exact, prefix, regex"));
            }
        }
        for (int i = 0; i < m.methods().size(); i++) {
            String method = m.methods().get(i);
            String mp = p + ".methods[" + i + "]";
            if (method == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(mp, "methods[" + i + "]", "a method such as GET"));
            } else if (!isToken(method) || !method.equals(method.toUpperCase(Locale.ROOT))) {
                run.add(ConfigMessage.INVALID_METHOD.at(mp, "methods[" + i + "]", method));
            }
        }
        valueMatches(run, p + ".headers", "headers", m.headers(), true);
        valueMatches(run, p + ".query", "query", m.query(), false);
        valueMatches(run, p + ".cookies", "cookies", m.cookies(), false);
        run.mediaTypes(p + ".contentTypes", "contentTypes", m.contentTypes());
        if (m.body() != null) {
            BodyMatch b = m.body();
            if (b.regex() == null || b.regex().isEmpty()) {
                run.add(ConfigMessage.MISSING.at(p + ".body.regex", "regex", "a Java regex"));
            } else {
                run.regex(p + ".body.regex", "regex", b.regex());
            }
            run.range(p + ".body.maxBytes", "maxBytes", b.maxBytes(), 1, BodyMatch.LIMIT_MAX_BYTES, "1-65536");
        }
    }

    private static void valueMatches(ValidationRun run, String p, String field, List<ValueMatch> list,
                                     boolean headerNames) {
        for (int i = 0; i < list.size(); i++) {
            String vp = p + "[" + i + "]";
            ValueMatch v = list.get(i);
            if (v == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(vp, field + "[" + i + "]", "a condition with name and one of "
                        + "exact, regex, present"));
                continue;
            }
            if (v.name() == null || v.name().isBlank()) {
                run.add(ConfigMessage.MISSING.at(vp + ".name", "name", headerNames ? "a header name" : "a name"));
            } else if (headerNames && !isToken(v.name())) {
                run.add(ConfigMessage.INVALID_TOKEN.at(vp + ".name", "name", v.name(),
                        "a header name such as X-Api-Key"));
            }
            List<String> set = new ArrayList<>(3);
            if (v.exact() != null) {
                set.add("exact");
            }
            if (v.regex() != null) {
                set.add("regex");
                run.regex(vp + ".regex", "regex", v.regex());
            }
            if (v.present() != null) {
                set.add("present");
            }
            if (set.size() != 1) {
                run.add(ConfigMessage.NOT_EXACTLY_ONE.at(vp, field + "[" + i + "]", set.isEmpty() ? "none set"
                        : String.join(", ", set) + " set", "exact, regex, present"));
            }
        }
    }

    /** True when every request {@code later} matches is also matched by {@code earlier} (conservative). */
    static boolean covers(RouteMatch earlier, RouteMatch later) {
        if (!earlier.pathOnly()) {
            return false;
        }
        PathMatch a = earlier.path();
        if (a == null) {
            return true;
        }
        PathMatch b = later.path();
        if (b == null || !singleLiteral(a) || !singleLiteral(b)) {
            return false;
        }
        if (a.exact() != null) {
            return a.exact().equals(b.exact());
        }
        String candidate = b.exact() != null ? b.exact() : b.prefix();
        return candidate.startsWith("/") && prefixMatches(a.prefix(), candidate);
    }

    /**
     * True when {@code m} is path-only with the prefix {@code /}: it matches every request but {@code OPTIONS *},
     * whose path {@code *} is the only one without a leading '/'.
     */
    static boolean matchesEveryPath(RouteMatch m) {
        PathMatch p = m.path();
        return m.pathOnly() && p != null && "/".equals(p.prefix()) && p.exact() == null && p.regex() == null;
    }

    /**
     * True when {@code OPTIONS *} may satisfy {@code m}'s path and methods: no path or a regex matching {@code *}
     * (an invalid regex counts as may: it is reported as an error anyway), and no methods or OPTIONS among them.
     */
    static boolean mayMatchAsterisk(RouteMatch m) {
        if (!m.methods().isEmpty() && !m.methods().contains("OPTIONS")) {
            return false;
        }
        PathMatch p = m.path();
        if (p == null) {
            return true;
        }
        if (p.exact() != null || p.prefix() != null || p.regex() == null) {
            return false;
        }
        try {
            return java.util.regex.Pattern.matches(p.regex(), "*");
        } catch (java.util.regex.PatternSyntaxException e) {
            return true;
        }
    }

    /** Exactly one of exact/prefix is set, it starts with '/', and no regex is set. */
    private static boolean singleLiteral(PathMatch m) {
        if (m.regex() != null || (m.exact() == null) == (m.prefix() == null)) {
            return false;
        }
        String v = m.exact() != null ? m.exact() : m.prefix();
        return v.startsWith("/");
    }

    /** The prefix semantics of {@link PathMatch#prefix()}: whole segments, or anything below a trailing '/'. */
    static boolean prefixMatches(String prefix, String path) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
