package io.duet.config;

import java.util.List;

/**
 * A named rate limit, applied by the listeners and routes that name it ({@code rateLimits}). The algorithm is GCRA
 * (the generic cell rate algorithm, a token bucket kept as one timestamp per key): {@code requests} per
 * {@code per} (or per {@code windowMs}) on average, and at most {@code burst} at once from a quiet key; and/or at
 * most {@code concurrent} requests of a key in flight.
 *
 * @param name       unique in the document
 * @param key        what a request is counted under: one or more of {@code client} (the real client address),
 *                   {@code route}, {@code header:NAME}, {@code cookie:NAME}, {@code query:NAME} (default
 *                   {@code [client]}); several parts make one combined key
 * @param requests   requests allowed per period (required unless {@code concurrent} is set)
 * @param per        the period: {@code second}, {@code minute} or {@code hour} (exactly one of per and windowMs)
 * @param windowMs   the period in milliseconds, instead of {@code per}
 * @param burst      requests a quiet key may send at once (default: {@code requests})
 * @param action     {@code reject} (default: the status with Retry-After) or {@code delay} (held up to
 *                   {@code maxDelayMs}, then served; rejected when the wait would be longer)
 * @param status     the status of a rejection (default 429)
 * @param headers    send the IETF draft's {@code RateLimit-Policy} and {@code RateLimit} headers (default off)
 * @param maxDelayMs the longest a {@code delay} limit holds a request (default 1000)
 * @param missingKey a request without the key (header, cookie or query parameter absent): {@code skip} (default:
 *                   not counted) or {@code shared} (every such request shares one bucket)
 * @param maxKeys    the keys the node keeps for this limit (default 100000); beyond, the expired and then the
 *                   nearest to expiry are evicted
 * @param concurrent the most requests of one key in flight at once (none when null); with or without a rate
 */
public record RateLimit(String name, List<String> key, Long requests, String per, Long windowMs, Long burst,
                        String action, Integer status, Boolean headers, Long maxDelayMs, String missingKey,
                        Integer maxKeys, Integer concurrent) {
    public static final String CLIENT = "client";
    public static final String ROUTE = "route";
    public static final String HEADER = "header";
    public static final String COOKIE = "cookie";
    public static final String QUERY = "query";
    /** Key parts with a name ({@code header:NAME}). */
    public static final List<String> NAMED_PARTS = List.of(HEADER, COOKIE, QUERY);

    public static final String SECOND = "second";
    public static final String MINUTE = "minute";
    public static final String HOUR = "hour";
    public static final List<String> PERIODS = List.of(SECOND, MINUTE, HOUR);

    public static final String REJECT = "reject";
    public static final String DELAY = "delay";
    public static final List<String> ACTIONS = List.of(REJECT, DELAY);

    public static final String SKIP = "skip";
    public static final String SHARED = "shared";
    public static final List<String> MISSING_KEYS = List.of(SKIP, SHARED);

    public static final int DEFAULT_STATUS = 429;
    public static final long DEFAULT_MAX_DELAY_MS = 1000;
    public static final int DEFAULT_MAX_KEYS = 100_000;

    public RateLimit {
        key = key == null || key.isEmpty() ? List.of(CLIENT) : Lists.copy(key);
        action = action == null ? REJECT : action;
        status = status == null ? DEFAULT_STATUS : status;
        headers = headers != null && headers;
        missingKey = missingKey == null ? SKIP : missingKey;
        maxKeys = maxKeys == null ? DEFAULT_MAX_KEYS : maxKeys;
    }

    public RateLimit(String name) {
        this(name, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The period in milliseconds ({@code per} or {@code windowMs}), or 0 when neither is set. */
    public long periodMs() {
        if (windowMs != null) {
            return windowMs;
        }
        if (per == null) {
            return 0;
        }
        return switch (per) {
            case SECOND -> 1_000L;
            case MINUTE -> 60_000L;
            case HOUR -> 3_600_000L;
            default -> 0;
        };
    }

    /** {@code burst}, or {@code requests} when unset. */
    public long burstOrDefault() {
        return burst != null ? burst : requests == null ? 1 : requests;
    }

    /** {@code maxDelayMs}, or its default. */
    public long maxDelayOrDefault() {
        return maxDelayMs == null ? DEFAULT_MAX_DELAY_MS : maxDelayMs;
    }
}
