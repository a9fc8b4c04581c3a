package io.duet.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.duet.config.ValidationRun.ONE_DAY_MS;
import static io.duet.config.ValidationRun.hasControl;
import static io.duet.config.ValidationRun.isToken;

/**
 * The rules of rate limits (DUET-CONFIG-0380..0399): the document's limits (names, key parts, ranges) and the
 * listeners and routes that name them. Pure; any thread (the {@link ValidationRun} is the caller's alone).
 */
final class RateLimitRules {
    /** The most requests per period and the largest burst: far beyond any sane limit, far below overflow. */
    static final long MAX_REQUESTS = 1_000_000_000L;
    static final long MAX_DELAY_MS = 60_000L;
    static final int MIN_KEYS = 1;
    static final int MAX_KEYS = 10_000_000;
    static final int MAX_CONCURRENT = 1_000_000;

    private RateLimitRules() {
    }

    /** Validates the document's limits and their uses. */
    static void document(ValidationRun run, DuetConfig d) {
        Map<String, RateLimit> byName = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        List<RateLimit> limits = d.rateLimits();
        for (int i = 0; i < limits.size(); i++) {
            String p = "$.rateLimits[" + i + "]";
            RateLimit l = limits.get(i);
            if (l == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "rateLimits[" + i + "]", "a rate limit"));
                continue;
            }
            run.uniqueName(p, l.name(), seen, "rate limit names");
            if (l.name() != null) {
                byName.putIfAbsent(l.name(), l);
            }
            limit(run, p, l);
        }
        Set<String> used = new HashSet<>();
        List<Listener> listeners = d.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            if (l != null) {
                uses(run, "$.listeners[" + i + "].rateLimits", l.rateLimits(), byName, used, true);
            }
        }
        List<VirtualHost> hosts = d.virtualHosts();
        for (int h = 0; h < hosts.size(); h++) {
            VirtualHost v = hosts.get(h);
            if (v == null) {
                continue;
            }
            for (int r = 0; r < v.routes().size(); r++) {
                Route route = v.routes().get(r);
                if (route != null) {
                    uses(run, "$.virtualHosts[" + h + "].routes[" + r + "].rateLimits", route.rateLimits(), byName,
                            used, false);
                }
            }
        }
        for (int i = 0; i < limits.size(); i++) {
            RateLimit l = limits.get(i);
            if (l != null && l.name() != null && !used.contains(l.name())) {
                run.add(ConfigMessage.RATE_LIMIT_UNUSED.at("$.rateLimits[" + i + "].name", l.name()));
            }
        }
    }

    private static void limit(ValidationRun run, String p, RateLimit l) {
        Set<String> parts = new HashSet<>();
        for (int k = 0; k < l.key().size(); k++) {
            String part = l.key().get(k);
            String kp = p + ".key[" + k + "]";
            if (part == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(kp, "key[" + k + "]", "a key part such as client"));
            } else if (!validPart(part)) {
                run.add(ConfigMessage.RATE_LIMIT_KEY_PART.at(kp, "key[" + k + "]", part));
            } else if (!parts.add(normalized(part))) {
                run.add(ConfigMessage.RATE_LIMIT_KEY_TWICE.at(kp, "key[" + k + "]", part));
            }
        }
        boolean rated = l.requests() != null || l.per() != null || l.windowMs() != null || l.burst() != null;
        if (l.requests() == null && (rated || l.concurrent() == null)) {
            run.add(ConfigMessage.MISSING.at(p + ".requests", "requests",
                    "the requests allowed per period (or only concurrent, without per, windowMs and burst)"));
        } else if (l.requests() != null) {
            run.range(p + ".requests", "requests", l.requests(), 1, MAX_REQUESTS, "1-1000000000");
        }
        if (rated && (l.per() == null) == (l.windowMs() == null)) {
            run.add(ConfigMessage.NOT_EXACTLY_ONE.at(p, "period", l.per() == null ? "none set" : "per, windowMs set",
                    "per, windowMs"));
        }
        if (l.concurrent() != null) {
            run.range(p + ".concurrent", "concurrent", l.concurrent(), 1, MAX_CONCURRENT, "1-1000000");
            if (!rated && RateLimit.DELAY.equals(l.action())) {
                run.add(ConfigMessage.RATE_LIMIT_DELAY_WITHOUT_RATE.at(p + ".action"));
            }
        }
        if (l.per() != null && !RateLimit.PERIODS.contains(l.per())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".per", "per", l.per(), String.join(", ", RateLimit.PERIODS)));
        }
        if (l.windowMs() != null) {
            run.range(p + ".windowMs", "windowMs", l.windowMs(), 1, ONE_DAY_MS, "1-86400000 ms (1 day)");
        }
        if (l.burst() != null) {
            run.range(p + ".burst", "burst", l.burst(), 1, MAX_REQUESTS, "1-1000000000");
        }
        if (!RateLimit.ACTIONS.contains(l.action())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".action", "action", l.action(),
                    String.join(", ", RateLimit.ACTIONS)));
        }
        run.range(p + ".status", "status", l.status(), 400, 599, "400-599");
        if (l.maxDelayMs() != null) {
            run.range(p + ".maxDelayMs", "maxDelayMs", l.maxDelayMs(), 1, MAX_DELAY_MS, "1-60000 ms");
            if (RateLimit.REJECT.equals(l.action())) {
                run.add(ConfigMessage.RATE_LIMIT_DELAY_UNUSED.at(p + ".maxDelayMs"));
            }
        }
        if (!RateLimit.MISSING_KEYS.contains(l.missingKey())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".missingKey", "missingKey", l.missingKey(),
                    String.join(", ", RateLimit.MISSING_KEYS)));
        }
        run.range(p + ".maxKeys", "maxKeys", l.maxKeys(), MIN_KEYS, MAX_KEYS, "1-10000000");
    }

    private static void uses(ValidationRun run, String p, List<String> names, Map<String, RateLimit> byName,
                             Set<String> used, boolean listener) {
        Map<String, String> here = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String np = p + "[" + i + "]";
            String field = "rateLimits[" + i + "]";
            if (n == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(np, field, "the name of a rate limit"));
                continue;
            }
            RateLimit l = byName.get(n);
            if (l == null) {
                run.add(ConfigMessage.RATE_LIMIT_UNKNOWN.at(np, field, n,
                        byName.isEmpty() ? "none" : String.join(", ", new ArrayList<>(byName.keySet()))));
                continue;
            }
            used.add(n);
            String first = here.putIfAbsent(n, np);
            if (first != null) {
                run.add(ConfigMessage.RATE_LIMIT_NAMED_TWICE.at(np, field, n, first));
            }
            if (listener && l.key().contains(RateLimit.ROUTE)) {
                run.add(ConfigMessage.RATE_LIMIT_ROUTE_ON_LISTENER.at(np, field, n));
            }
        }
    }

    /** {@code client}, {@code route}, or {@code header:NAME} (a token), {@code cookie:NAME}, {@code query:NAME}. */
    static boolean validPart(String part) {
        if (part.equals(RateLimit.CLIENT) || part.equals(RateLimit.ROUTE)) {
            return true;
        }
        int colon = part.indexOf(':');
        if (colon < 0 || !RateLimit.NAMED_PARTS.contains(part.substring(0, colon))) {
            return false;
        }
        String name = part.substring(colon + 1);
        if (part.startsWith(RateLimit.QUERY)) {
            return !name.isEmpty() && !hasControl(name) && name.indexOf('&') < 0 && name.indexOf('=') < 0
                    && name.indexOf(' ') < 0;
        }
        return isToken(name);
    }

    /** Header names compare without case. */
    private static String normalized(String part) {
        return part.startsWith(RateLimit.HEADER + ":") ? part.toLowerCase(java.util.Locale.ROOT) : part;
    }
}
