package io.duet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.duet.config.ValidationRun.isToken;
import static io.duet.config.ValidationRun.hasControl;

/**
 * The rules of what a route does: exactly one of pool, redirect and respond, header rules, rewrite and compression.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class ActionRules {
    private static final Set<String> HOP_BY_HOP = HopByHopHeaders.LOWER_CASE;
    private static final Set<String> MANAGED = Set.of("content-length", "host");
    private static final List<Integer> REDIRECT_STATUSES = List.of(301, 302, 303, 307, 308);
    private static final List<String> HEADER_OPS = List.of("set", "add", "remove");

    private ActionRules() {
    }

    static void action(ValidationRun run, DuetConfig d, String p, Route r, Set<String> usedPools) {
        List<String> set = new ArrayList<>(3);
        if (r.pool() != null) {
            set.add("pool");
        }
        if (r.redirect() != null) {
            set.add("redirect");
        }
        if (r.respond() != null) {
            set.add("respond");
        }
        if (set.size() != 1) {
            run.add(ConfigMessage.NOT_EXACTLY_ONE.at(p, "action", set.isEmpty() ? "none set" : String.join(", ", set)
                    + " set", "pool, redirect, respond"));
        }
        if (r.pool() != null) {
            usedPools.add(r.pool());
            if (d.pool(r.pool()) == null) {
                String known = d.pools().stream().filter(Objects::nonNull).map(Pool::name).filter(Objects::nonNull)
                        .sorted().collect(Collectors.joining(", "));
                run.add(ConfigMessage.UNKNOWN_POOL.at(p + ".pool", r.pool(), known.isEmpty() ? "none" : known));
            }
        }
        if (r.redirect() != null) {
            Redirect red = r.redirect();
            if (!REDIRECT_STATUSES.contains(red.status())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".redirect.status", "status", red.status(),
                        REDIRECT_STATUSES.stream().map(String::valueOf).collect(Collectors.joining(", "))));
            }
            if (red.location() == null || red.location().isBlank()) {
                run.add(ConfigMessage.MISSING.at(p + ".redirect.location", "location",
                        "a URL such as https://{host}{request_uri}"));
            } else if (hasControl(red.location())) {
                run.add(ConfigMessage.CONTROL_CHARACTER.at(p + ".redirect.location", "location"));
            }
        }
        if (r.respond() != null) {
            FixedResponse f = r.respond();
            run.range(p + ".respond.status", "status", f.status(), 200, 599, "200-599");
            if (hasControl(f.contentType())) {
                run.add(ConfigMessage.CONTROL_CHARACTER.at(p + ".respond.contentType", "contentType"));
            }
        }
        if (r.pool() == null && set.size() == 1) {
            String kind = set.get(0);
            if (r.rewrite() != null) {
                run.add(ConfigMessage.NO_EFFECT.at(p + ".rewrite", "rewrite", kind));
            }
            if (r.compression() != null && r.compression().enabled()) {
                run.add(ConfigMessage.NO_EFFECT.at(p + ".compression", "compression", kind));
            }
            if (!r.requestHeaders().isEmpty()) {
                run.add(ConfigMessage.NO_EFFECT.at(p + ".requestHeaders", "requestHeaders", kind));
            }
        }
    }

    /** A rewrite's prefix and replacement; nothing when there is no rewrite. */
    static void rewrite(ValidationRun run, String p, Rewrite rewrite) {
        if (rewrite != null) {
            String prefix = rewrite.prefix();
            if (prefix == null || prefix.isEmpty()) {
                run.add(ConfigMessage.MISSING.at(p + ".rewrite.prefix", "prefix", "a path starting with /"));
            } else if (!prefix.startsWith("/")) {
                run.add(ConfigMessage.PATH_NOT_ABSOLUTE.at(p + ".rewrite.prefix", "prefix", prefix));
            }
            if (hasControl(rewrite.replacement())) {
                run.add(ConfigMessage.CONTROL_CHARACTER.at(p + ".rewrite.replacement", "replacement"));
            }
        }
    }

    static void compression(ValidationRun run, String p, Compression c) {
        run.range(p + ".level", "level", c.level(), 1, 9, "1-9");
        run.range(p + ".minBytes", "minBytes", c.minBytes(), 0, Integer.MAX_VALUE, ">= 0");
        run.mediaTypes(p + ".mimeTypes", "mimeTypes", c.mimeTypes());
    }

    static void headerRules(ValidationRun run, String p, String field, List<HeaderRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            String rp = p + "[" + i + "]";
            HeaderRule r = rules.get(i);
            if (r == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(rp, field + "[" + i + "]", "a header rule with op and name"));
                continue;
            }
            if (r.op() == null) {
                run.add(ConfigMessage.MISSING.at(rp + ".op", "op", String.join(", ", HEADER_OPS)));
            } else if (!HEADER_OPS.contains(r.op())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(rp + ".op", "op", r.op(), String.join(", ", HEADER_OPS)));
            }
            if (r.name() == null || r.name().isBlank()) {
                run.add(ConfigMessage.MISSING.at(rp + ".name", "name", "a header name"));
            } else if (!isToken(r.name())) {
                run.add(ConfigMessage.INVALID_TOKEN.at(rp + ".name", "name", r.name(),
                        "a header name such as X-Frame-Options"));
            } else {
                String lower = r.name().toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(lower)) {
                    run.add(ConfigMessage.PROTECTED_HEADER.at(rp + ".name", r.name(), "is a hop-by-hop header"));
                } else if (MANAGED.contains(lower)) {
                    run.add(ConfigMessage.PROTECTED_HEADER.at(rp + ".name", r.name(), "is managed by Duet"));
                }
            }
            if (("set".equals(r.op()) || "add".equals(r.op())) && r.value() == null) {
                run.add(ConfigMessage.MISSING.at(rp + ".value", "value", "a value for op '" + r.op() + "'"));
            } else if (hasControl(r.value())) {
                run.add(ConfigMessage.CONTROL_CHARACTER.at(rp + ".value", "value"));
            }
        }
    }
}
