package io.duet.admin.service;

import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.message.AdminMessage;

import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /rate-limits} (each limit's settings, live keys and counts) and {@code GET /rate-limits/{name}/top} (the
 * keys it refused lately: what HAProxy users read from {@code show table}), from {@link LiveNode}. The top keys hold
 * client addresses (personal data), so they are for operators; a header, cookie or query value (an API key, a
 * session) is only ever a short hash of it. Thread-safe.
 */
final class RateLimitService {
    private static final int MAX = 100;
    private final LiveNode node;

    RateLimitService(LiveNode node) {
        this.node = node;
    }

    void list(Request r) throws Exception {
        Http.send(r.exchange(), 200, Map.of("rateLimits", node.rateLimits()));
    }

    void top(Request r) throws Exception {
        String name = r.param("name");
        int limit = limit(r);
        List<Map<String, Object>> top = node.rateLimitTop(name, limit);
        if (top == null) {
            throw new ApiError(404, AdminMessage.NOT_FOUND, "no rate limit named '" + name + "' on this node");
        }
        Http.send(r.exchange(), 200, Map.of("name", name, "keys", top));
    }

    private static int limit(Request r) throws ApiError {
        Deque<String> v = r.exchange().getQueryParameters().get("limit");
        if (v == null || v.getFirst().isEmpty()) {
            return 20;
        }
        try {
            int n = Integer.parseInt(v.getFirst());
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiError(400, AdminMessage.RATE_LIMIT_QUERY, "query parameter limit must be a whole number from 1 "
                + "to " + MAX + " (was " + v.getFirst() + ")");
    }
}
