package io.duet.proxy.ratelimit;

import io.duet.config.RateLimit;
import io.duet.proxy.metrics.RateLimitMetrics;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * One rate limit as one snapshot compiled it: its settings and key reader over the limit's {@link LimitState},
 * which outlives reloads. {@link #decide} takes one request; {@link #refuse} answers a refused one.
 * Immutable; I/O threads; never blocks.
 */
final class RateLimiter {
    static final HttpString RATELIMIT_POLICY = new HttpString("RateLimit-Policy");
    static final HttpString RATELIMIT = new HttpString("RateLimit");
    private static final long MS = 1_000_000L;

    private final RateLimit spec;
    private final LimitState state;
    private final RequestKeys keys;
    private final long interval;
    private final long tolerance;
    private final long maxWait;
    private final String policy;
    private final boolean rated;
    private final int concurrent;

    RateLimiter(RateLimit spec, LimitState state, ClientAddress clients) {
        this.spec = spec;
        this.state = state;
        this.keys = new RequestKeys(spec.key(), RateLimit.SHARED.equals(spec.missingKey()), clients);
        this.rated = spec.requests() != null;
        this.concurrent = spec.concurrent() == null ? 0 : spec.concurrent();
        this.interval = rated ? Math.max(1, spec.periodMs() * MS / spec.requests()) : 1;
        this.tolerance = rated ? (spec.burstOrDefault() - 1) * interval : 0;
        this.maxWait = RateLimit.DELAY.equals(spec.action()) ? spec.maxDelayOrDefault() * MS : 0;
        this.policy = "\"" + spec.name() + "\";q=" + spec.requests() + ";w=" + Math.max(1, spec.periodMs() / 1000);
    }

    String name() {
        return spec.name();
    }

    /**
     * Takes one request. I/O thread.
     *
     * @param route the route ({@code vhost/route}), or null on a listener
     * @return 0 to go on, positive: hold the request that many nanoseconds then go on, negative: refuse it, allowed
     * again in {@code -result} nanoseconds
     */
    long decide(HttpServerExchange exchange, String route) {
        long hash = keys.hash(exchange, route);
        RateLimitMetrics m = state.metrics();
        if (hash == RequestKeys.NONE) {
            m.unkeyed();
            return 0;
        }
        long now = LimitState.now();
        LimitTable table = state.table();
        int entered = -1;
        if (concurrent > 0) {
            entered = table.enter(hash, now, concurrent);
            if (entered < 0) {
                m.limited();
                state.limited().refused(hash, now, h -> keys.label(exchange, route));
                return -1_000_000_000L; // in flight: try again in a second
            }
        }
        long r = 0;
        if (rated) {
            long iv = state.interval(interval);
            r = table.acquire(hash, now, iv, (state.burst(spec.burstOrDefault()) - 1) * iv, maxWait);
        }
        if (entered >= 0) {
            if (r < 0) {
                table.leave(entered);
            } else {
                int slot = entered;
                exchange.addExchangeCompleteListener((ex, next) -> {
                    table.leave(slot);
                    next.proceed();
                });
            }
        }
        if (r < 0) {
            m.limited();
            state.limited().refused(hash, now, h -> keys.label(exchange, route));
        } else if (r > 0) {
            m.delayed();
        } else {
            m.allowed();
        }
        if (spec.headers() && rated) {
            long debt = r < 0 ? state.table().debt(hash, now) : Math.max(0, state.table().debt(hash, now) - r);
            long remaining = r < 0 ? 0 : Math.max(0, (tolerance + interval - debt) / interval);
            String value = "\"" + spec.name() + "\";r=" + remaining + ";t=" + seconds(debt);
            exchange.addResponseCommitListener(ex -> {
                ex.getResponseHeaders().add(RATELIMIT_POLICY, policy);
                ex.getResponseHeaders().add(RATELIMIT, value);
            });
        }
        return r;
    }

    /** Answers a refused request: the limit's status, {@code Retry-After} in whole seconds (at least 1). */
    void refuse(HttpServerExchange exchange, long retryNanos) {
        String retry = Long.toString(Math.max(1, seconds(retryNanos)));
        exchange.addResponseCommitListener(ex -> ex.getResponseHeaders().put(Headers.RETRY_AFTER, retry));
        int status = spec.status();
        ErrorResponses.send(exchange, status, ErrorId.idFor(status),
                status == ErrorId.TOO_MANY_REQUESTS.status() ? ErrorId.TOO_MANY_REQUESTS.message()
                        : "too many requests (rate limit '" + spec.name() + "'); retry after " + retry + " s");
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
