package io.duet.config;

import java.util.List;

/**
 * A route: conditions, then exactly one action (forward to {@code pool}, {@code redirect} or {@code respond}),
 * plus optional header rules, a path rewrite, compression and limits.
 *
 * @param name              unique within its virtual host; used in metrics
 * @param match             every condition must hold; no match object matches everything
 * @param pool              forward to this pool
 * @param redirect          answer with a redirect
 * @param respond           answer with a fixed response
 * @param requestHeaders    rules applied to the request before forwarding, in order
 * @param responseHeaders   rules applied to the response before it is sent, in order
 * @param rewrite           path prefix rewrite applied before forwarding
 * @param compression       gzip responses the backend sent uncompressed
 * @param maxBodyBytes      overrides {@link Limits#maxBodyBytes()}
 * @param responseTimeoutMs overrides {@link Limits#backendResponseTimeoutMs()}
 * @param retries           extra attempts on another server when a connection fails before any byte was sent;
 *                          idempotent methods only (default 1, at most 5)
 * @param stickyServerDown  when the server a client is bound to by the pool's affinity is down or no longer takes
 *                          its sticky clients: {@code redispatch} (default; the balancer picks another server and the
 *                          binding moves to it) or {@code fail} (503, for applications whose sessions live only on
 *                          that server)
 * @param access            who may use the route, by client address
 * @param rateLimits        the names of the rate limits applied to the route's requests, in order
 * @param maintenance       the route's maintenance switch
 */
public record Route(
        String name,
        RouteMatch match,
        String pool,
        Redirect redirect,
        FixedResponse respond,
        List<HeaderRule> requestHeaders,
        List<HeaderRule> responseHeaders,
        Rewrite rewrite,
        Compression compression,
        Long maxBodyBytes,
        Long responseTimeoutMs,
        Integer retries,
        String stickyServerDown,
        AccessRule access,
        List<String> rateLimits,
        Maintenance maintenance) {

    public static final int DEFAULT_RETRIES = 1;
    public static final String REDISPATCH = "redispatch";
    public static final String FAIL = "fail";
    public static final List<String> STICKY_SERVER_DOWN = List.of(REDISPATCH, FAIL);

    public Route {
        match = match == null ? RouteMatch.any() : match;
        requestHeaders = Lists.copy(requestHeaders);
        responseHeaders = Lists.copy(responseHeaders);
        retries = retries == null ? DEFAULT_RETRIES : retries;
        stickyServerDown = stickyServerDown == null ? REDISPATCH : stickyServerDown;
        rateLimits = Lists.copy(rateLimits);
    }

    public Route(String name, RouteMatch match, String pool, Redirect redirect, FixedResponse respond,
                 List<HeaderRule> requestHeaders, List<HeaderRule> responseHeaders, Rewrite rewrite,
                 Compression compression, Long maxBodyBytes, Long responseTimeoutMs, Integer retries,
                 String stickyServerDown) {
        this(name, match, pool, redirect, respond, requestHeaders, responseHeaders, rewrite, compression, maxBodyBytes,
                responseTimeoutMs, retries, stickyServerDown, null, null, null);
    }

    public Route(String name, RouteMatch match, String pool, Redirect redirect, FixedResponse respond,
                 List<HeaderRule> requestHeaders, List<HeaderRule> responseHeaders, Rewrite rewrite,
                 Compression compression, Long maxBodyBytes, Long responseTimeoutMs, Integer retries) {
        this(name, match, pool, redirect, respond, requestHeaders, responseHeaders, rewrite, compression, maxBodyBytes,
                responseTimeoutMs, retries, null);
    }

    /** A route forwarding everything to a pool. */
    public static Route forward(String name, RouteMatch match, String pool) {
        return new Route(name, match, pool, null, null, null, null, null, null, null, null, null);
    }
}
