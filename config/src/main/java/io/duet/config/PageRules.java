package io.duet.config;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The error pages of a virtual host ({@link ErrorPage}) and the maintenance switches of hosts and routes
 * ({@link Maintenance}): ids {@code DUET-CONFIG-0420} to {@code 0439}. Called by {@link TrafficRules}.
 */
final class PageRules {
    private PageRules() {
    }

    static void virtualHost(ValidationRun run, String p, VirtualHost v) {
        List<ErrorPage> pages = v.errorPages();
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < pages.size(); i++) {
            ErrorPage page = pages.get(i);
            String ep = p + ".errorPages[" + i + "]";
            if (page == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(ep, "errorPages[" + i + "]", "an error page"));
                continue;
            }
            if (page.status() == null) {
                run.add(ConfigMessage.MISSING.at(ep + ".status", "status", "one of " + ErrorPage.STATUSES));
            } else if (!ErrorPage.STATUSES.contains(page.status())) {
                run.add(ConfigMessage.ERROR_PAGE_STATUS.at(ep + ".status", "status", page.status()));
            } else {
                String first = seen.putIfAbsent(page.status(), ep);
                if (first != null) {
                    run.add(ConfigMessage.ERROR_PAGE_DUPLICATE.at(ep + ".status", "status", page.status(), first));
                }
            }
            contentType(run, ep, page.contentType());
            if (page.body() == null) {
                run.add(ConfigMessage.MISSING.at(ep + ".body", "body", "the page's body (may be empty)"));
            } else {
                body(run, ep, page.body());
            }
        }
        maintenance(run, p + ".maintenance", v.maintenance());
    }

    static void route(ValidationRun run, String p, Route r) {
        maintenance(run, p + ".maintenance", r.maintenance());
    }

    private static void maintenance(ValidationRun run, String p, Maintenance m) {
        if (m == null) {
            return;
        }
        run.range(p + ".retryAfter", "retryAfter", m.retryAfter(), 1, Maintenance.MAX_RETRY_AFTER,
                "1-86400 seconds (1 day)");
        contentType(run, p, m.contentType());
        if (m.body() != null) {
            body(run, p, m.body());
        }
    }

    private static void body(ValidationRun run, String p, String body) {
        // Cheap bound first: a UTF-8 character is at most 3 bytes per UTF-16 unit.
        if (body.length() * 3L <= ErrorPage.MAX_BODY_BYTES) {
            return;
        }
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ErrorPage.MAX_BODY_BYTES) {
            run.add(ConfigMessage.PAGE_BODY_TOO_LARGE.at(p + ".body", "body", bytes, ErrorPage.MAX_BODY_BYTES));
        }
    }

    private static void contentType(ValidationRun run, String p, String value) {
        if (!isContentType(value)) {
            run.add(ConfigMessage.PAGE_CONTENT_TYPE.at(p + ".contentType", "contentType", value));
        }
    }

    /**
     * A Content-Type value (RFC 9110 8.3.1): {@code type/subtype} (tokens), then {@code ; name=value} parameters, each
     * value a token or a quoted string; no control characters.
     */
    static boolean isContentType(String value) {
        if (value == null || ValidationRun.hasControl(value)) {
            return false;
        }
        String[] parts = value.split(";", -1);
        String media = parts[0].trim();
        int slash = media.indexOf('/');
        if (slash < 0 || !ValidationRun.isToken(media.substring(0, slash))
                || !ValidationRun.isToken(media.substring(slash + 1))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            if (eq <= 0 || !ValidationRun.isToken(param.substring(0, eq))) {
                return false;
            }
            String v = param.substring(eq + 1);
            boolean quoted = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                    && v.substring(1, v.length() - 1).indexOf('"') < 0;
            if (!quoted && !ValidationRun.isToken(v)) {
                return false;
            }
        }
        return true;
    }
}
