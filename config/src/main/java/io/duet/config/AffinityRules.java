package io.duet.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static io.duet.config.ValidationRun.isToken;

/**
 * The rules of session affinity: a pool's affinity (mode, signing key, insert cookie, learned cookie, source and
 * header tables) and a route's {@code stickyServerDown}.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class AffinityRules {
    private AffinityRules() {
    }

    static void stickyServerDown(ValidationRun run, DuetConfig d, String p, Route r) {
        if (!Route.STICKY_SERVER_DOWN.contains(r.stickyServerDown())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".stickyServerDown", "stickyServerDown", r.stickyServerDown(),
                    String.join(", ", Route.STICKY_SERVER_DOWN)));
            return;
        }
        Pool pool = r.pool() == null ? null : d.pool(r.pool());
        if (Route.FAIL.equals(r.stickyServerDown()) && pool != null && pool.affinity() == null) {
            run.add(ConfigMessage.STICKY_FAIL_WITHOUT_AFFINITY.at(p + ".stickyServerDown", r.pool()));
        }
    }

    /** {@code cookies}: insert-cookie name and path to the first pool using them, across the document. */
    static void affinity(ValidationRun run, String p, Pool pool, Map<String, String> cookies) {
        Affinity a = pool.affinity();
        if (a.mode() == null) {
            run.add(ConfigMessage.MISSING.at(p + ".mode", "mode", String.join(", ", Affinity.MODES)));
        } else if (!Affinity.MODES.contains(a.mode())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".mode", "mode", a.mode(), String.join(", ", Affinity.MODES)));
        }
        boolean cookieMode = Affinity.COOKIE.equals(a.mode());
        if (a.signingKey() == null || a.signingKey().isBlank()) {
            if (cookieMode) {
                run.add(ConfigMessage.AFFINITY_KEY_MISSING.at(p + ".signingKey"));
            }
        } else if (AffinityKey.isSealed(a.signingKey())) {
            if (a.mode() != null && !cookieMode) {
                run.add(ConfigMessage.AFFINITY_KEY_UNUSED.at(p + ".signingKey", a.mode()));
            }
        } else {
            byte[] key = AffinityKey.decode(a.signingKey());
            if (key == null) {
                run.add(ConfigMessage.AFFINITY_KEY_NOT_BASE64.at(p + ".signingKey"));
            } else if (key.length < AffinityKey.MIN_BYTES) {
                run.add(ConfigMessage.AFFINITY_KEY_TOO_SHORT.at(p + ".signingKey", key.length));
            } else if (a.mode() != null && !cookieMode) {
                run.add(ConfigMessage.AFFINITY_KEY_UNUSED.at(p + ".signingKey", a.mode()));
            }
        }
        affinityCookie(run, p + ".cookie", a.cookie(), cookieMode ? pool : null, cookies);
        learn(run, p + ".learn", a.learn(), pool);
        run.timeout(p + ".source.timeoutMs", "timeoutMs", a.source().timeoutMs());
        run.range(p + ".source.maxEntries", "maxEntries", a.source().maxEntries(), 1, 10_000_000, "1-10000000");
        Affinity.Header h = a.header();
        if (Affinity.HEADER.equals(a.mode()) && (h.name() == null || h.name().isBlank())) {
            run.add(ConfigMessage.MISSING.at(p + ".header.name", "name",
                    "the request header to follow, e.g. X-Session"));
        } else if (h.name() != null && !isToken(h.name())) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".header.name", "name", h.name(), "a header name"));
        }
        run.timeout(p + ".header.timeoutMs", "timeoutMs", h.timeoutMs());
        run.range(p + ".header.maxEntries", "maxEntries", h.maxEntries(), 1, 10_000_000, "1-10000000");
    }

    private static void affinityCookie(ValidationRun run, String p, Affinity.Cookie c, Pool cookiePool,
                                       Map<String, String> cookies) {
        String lifetime = "1-34560000 seconds (400 days)";
        boolean nameOk = isToken(c.name());
        if (!nameOk) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", c.name(), "a cookie name such as DUET_SERVER"));
        }
        if (c.maxAgeSeconds() != null) {
            run.range(p + ".maxAgeSeconds", "maxAgeSeconds", c.maxAgeSeconds(), 1, 34_560_000, lifetime);
        }
        if (c.idleTimeoutSeconds() != null) {
            run.range(p + ".idleTimeoutSeconds", "idleTimeoutSeconds", c.idleTimeoutSeconds(), 1, 34_560_000, lifetime);
        }
        if (c.absoluteTimeoutSeconds() != null) {
            run.range(p + ".absoluteTimeoutSeconds", "absoluteTimeoutSeconds", c.absoluteTimeoutSeconds(), 1,
                    34_560_000, lifetime);
        }
        if (c.idleTimeoutSeconds() != null && c.absoluteTimeoutSeconds() != null
                && c.idleTimeoutSeconds() >= c.absoluteTimeoutSeconds()) {
            run.add(ConfigMessage.AFFINITY_IDLE_OVER_ABSOLUTE.at(p + ".idleTimeoutSeconds", c.idleTimeoutSeconds(),
                    c.absoluteTimeoutSeconds()));
        }
        if (!Affinity.Cookie.SAME_SITE.contains(c.sameSite())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".sameSite", "sameSite", c.sameSite(),
                    String.join(", ", Affinity.Cookie.SAME_SITE)));
        } else if ("None".equals(c.sameSite()) && !c.secure()) {
            run.add(ConfigMessage.AFFINITY_SAME_SITE_NONE.at(p + ".sameSite"));
        }
        run.absolutePath(p + ".path", "path", c.path());
        if (c.path().indexOf(';') >= 0) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".path", "path", c.path(), "a path without ';'"));
        }
        if (c.domain() != null) {
            String d = c.domain().startsWith(".") ? c.domain().substring(1) : c.domain();
            String problem = HostName.problem(d);
            if (problem != null) {
                run.add(ConfigMessage.INVALID_HOSTNAME.at(p + ".domain", "domain", c.domain(), problem));
            }
        }
        if (nameOk && c.name().startsWith("__Host-") && (!c.secure() || c.domain() != null || !"/".equals(c.path()))) {
            run.add(ConfigMessage.AFFINITY_COOKIE_PREFIX.at(p + ".name", c.name(), "__Host-",
                    "secure: true, path: / and no domain"));
        } else if (nameOk && c.name().startsWith("__Secure-") && !c.secure()) {
            run.add(ConfigMessage.AFFINITY_COOKIE_PREFIX.at(p + ".name", c.name(), "__Secure-", "secure: true"));
        }
        if (cookiePool != null && nameOk) {
            String first = cookies.putIfAbsent(c.name() + "\n" + c.path(), String.valueOf(cookiePool.name()));
            if (first != null) {
                run.add(ConfigMessage.AFFINITY_COOKIE_SHARED.at(p + ".name", c.name(), c.path(), first));
            }
        }
    }

    private static void learn(ValidationRun run, String p, Affinity.Learn l, Pool pool) {
        if (!isToken(l.name())) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", l.name(), "a cookie name such as JSESSIONID"));
        }
        run.timeout(p + ".timeoutMs", "timeoutMs", l.timeoutMs());
        run.range(p + ".maxEntries", "maxEntries", l.maxEntries(), 1, 10_000_000, "1-10000000");
        Set<String> ids = new HashSet<>();
        pool.servers().stream().filter(Objects::nonNull).map(Server::id).filter(Objects::nonNull).forEach(ids::add);
        Map<String, String> routes = new HashMap<>();
        for (int i = 0; i < l.jvmRoutes().size(); i++) {
            String rp = p + ".jvmRoutes[" + i + "]";
            Affinity.JvmRoute r = l.jvmRoutes().get(i);
            if (r == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(rp, "jvmRoutes[" + i + "]", "a route and a server id"));
                continue;
            }
            if (r.route() == null || r.route().isEmpty()) {
                run.add(ConfigMessage.MISSING.at(rp + ".route", "route", "the suffix after the last '.'"));
            } else if (!isToken(r.route()) || r.route().indexOf('.') >= 0) {
                run.add(ConfigMessage.INVALID_TOKEN.at(rp + ".route", "route", r.route(),
                        "a route name without '.', such as node1"));
            } else {
                String first = routes.putIfAbsent(r.route(), rp);
                if (first != null) {
                    run.add(ConfigMessage.DUPLICATE_NAME.at(rp + ".route", "route", r.route(), first, "routes"));
                }
            }
            if (r.server() == null || r.server().isEmpty()) {
                run.add(ConfigMessage.MISSING.at(rp + ".server", "server", "a server id of the pool"));
            } else if (!ids.contains(r.server())) {
                run.add(ConfigMessage.AFFINITY_UNKNOWN_SERVER.at(rp + ".server", r.server(),
                        String.valueOf(pool.name()), String.join(", ", new TreeSet<>(ids))));
            }
        }
    }
}
