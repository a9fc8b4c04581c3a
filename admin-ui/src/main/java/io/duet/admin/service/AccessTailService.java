package io.duet.admin.service;

import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.message.AdminMessage;
import io.undertow.server.HttpServerExchange;

import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /access-log/tail}: the node's recent access records ({@link LiveNode#accessTail}), for a live tail.
 * Query: {@code since} (a sequence number from the last answer's {@code lastSeq}; 0 or none: all kept), {@code host},
 * {@code route} ({@code name} or {@code vhost/name}), {@code status} ({@code 404}, or a class such as {@code 5xx}),
 * {@code limit} (1-1000, default 200: the newest). Thread-safe.
 */
final class AccessTailService {
    private static final Pattern STATUS = Pattern.compile("([1-5])(xx|[0-9]{2})");
    private static final int MAX = 1000;
    private final LiveNode node;

    AccessTailService(LiveNode node) {
        this.node = node;
    }

    void tail(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        long since = number(ex, "since", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ex, "limit", 1, MAX, 200);
        int from = 0;
        int to = 999;
        String status = param(ex, "status");
        if (status != null) {
            Matcher m = STATUS.matcher(status.toLowerCase(java.util.Locale.ROOT));
            if (!m.matches()) {
                throw refused("query parameter status must be a status such as 404 or a class such as 5xx (was "
                        + status + ")");
            }
            int hundreds = Integer.parseInt(m.group(1)) * 100;
            from = m.group(2).equals("xx") ? hundreds : hundreds + Integer.parseInt(m.group(2));
            to = m.group(2).equals("xx") ? hundreds + 99 : from;
        }
        AccessFilter filter = new AccessFilter(param(ex, "host"), param(ex, "route"), from, to);
        Http.send(ex, 200, node.accessTail(since, filter, limit));
    }

    private static long number(HttpServerExchange ex, String name, long min, long max, long absent)
            throws ApiError {
        String v = param(ex, name);
        if (v == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused("query parameter " + name + " must be a whole number from " + min + " to "
                + (max == Long.MAX_VALUE ? "2^63-1" : String.valueOf(max)) + " (was " + v + ")");
    }

    private static String param(HttpServerExchange ex, String name) {
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null || v.getFirst().isEmpty() ? null : v.getFirst();
    }

    private static ApiError refused(String message) {
        return new ApiError(400, AdminMessage.TAIL_QUERY, message);
    }
}
