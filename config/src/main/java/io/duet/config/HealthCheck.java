package io.duet.config;

import java.util.List;

/**
 * The active health check of a pool's servers. Every server of the pool is checked on its own schedule; a server
 * is marked down after {@code fall} consecutive failed checks and up again after {@code rise} consecutive good ones.
 * A server starts as up but on its last fall step (as HAProxy does): the first failed check marks it down.
 *
 * @param type          {@code http} (default) or {@code tcp} (a connect within the timeout is a pass)
 * @param method        HTTP method of the check (default {@code GET})
 * @param path          path and query of the check (default {@code /})
 * @param host          Host header of the check (default: the server's address and port)
 * @param expectStatus  statuses that pass: single codes or ranges ({@code ["200-399"]} default, {@code ["200","204"]})
 * @param bodyRegex     when set, the first {@link #BODY_LIMIT_BYTES} bytes of the body must contain a match
 * @param https         check over TLS (default false)
 * @param verifyTls     with https: verify the server's certificate chain and name against the JVM trust store
 *                      (default false: checks accept any certificate, since backends often use self-signed ones)
 * @param port          port to check (default: the server's port)
 * @param intervalMs    time between two checks of one server (default 2000), jittered by {@code jitterPercent}
 * @param timeoutMs     bound on one whole check: connect, send, read (default 1000)
 * @param rise          consecutive good checks that mark a down server up (default 2)
 * @param fall          consecutive failed checks that mark an up server down (default 3)
 * @param jitterPercent each interval is drawn uniformly within +-this percent so checks do not run in lockstep
 *                      (default 15)
 */
public record HealthCheck(String type, String method, String path, String host, List<String> expectStatus,
                          String bodyRegex, Boolean https, Boolean verifyTls, Integer port, Long intervalMs,
                          Long timeoutMs, Integer rise, Integer fall, Integer jitterPercent) {
    public static final String HTTP = "http";
    public static final String TCP = "tcp";
    public static final List<String> TYPES = List.of(HTTP, TCP);
    /** Bytes of the response body a {@code bodyRegex} looks at. */
    public static final int BODY_LIMIT_BYTES = 4096;

    public HealthCheck {
        type = type == null ? HTTP : type;
        method = method == null ? "GET" : method;
        path = path == null ? "/" : path;
        expectStatus = expectStatus == null || expectStatus.isEmpty() ? List.of("200-399") : Lists.copy(expectStatus);
        https = https != null && https;
        verifyTls = verifyTls != null && verifyTls;
        intervalMs = intervalMs == null ? 2000L : intervalMs;
        timeoutMs = timeoutMs == null ? 1000L : timeoutMs;
        rise = rise == null ? 2 : rise;
        fall = fall == null ? 3 : fall;
        jitterPercent = jitterPercent == null ? 15 : jitterPercent;
    }

    /** An HTTP check of {@code path} with every other setting at its default. */
    public static HealthCheck http(String path) {
        return new HealthCheck(HTTP, null, path, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A TCP connect check with every other setting at its default. */
    public static HealthCheck tcp() {
        return new HealthCheck(TCP, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This check with another timing. */
    public HealthCheck withTiming(long intervalMs, long timeoutMs, int rise, int fall) {
        return new HealthCheck(type, method, path, host, expectStatus, bodyRegex, https, verifyTls, port, intervalMs,
                timeoutMs, rise, fall, jitterPercent);
    }
}
