package io.duet.proxy.ratelimit;

import io.duet.proxy.metrics.RateLimitMetrics;

/**
 * What a rate limit keeps across reloads: its table of keys, its metrics, the keys it refused lately, and its share
 * of the limit (the pair's seam: 1 alone or while the peer reports; 1/2 when the peer is unreachable).
 * A new table (empty) when {@code maxKeys}, the rate or whether it counts requests in flight changes: a key's state is a time measured in the old rate's
 * intervals, so a raised limit must not keep clients waiting at the old one. Any thread.
 *
 * @param table the keys
 * @param size  what the table was made for: maxKeys and the rate (period, requests, burst)
 */
record LimitState(LimitTable table, Size size, RateLimitMetrics metrics, LimitedKeys limited, Share share) {
    /** What a table is made for: a change of any of these starts a new one. */
    record Size(int maxKeys, long periodMs, long requests, long burst, boolean inFlight) {
        static Size of(io.duet.config.RateLimit spec) {
            long requests = spec.requests() == null ? 0 : spec.requests();
            return new Size(spec.maxKeys(), spec.periodMs(), requests, requests == 0 ? 0 : spec.burstOrDefault(),
                    spec.concurrent() != null);
        }
    }

    /** The limiter's clock starts an hour in, so that a TAT of 0 (a slot never used) is always in the past. */
    private static final long ORIGIN = System.nanoTime() - 3_600_000_000_000L;

    /** The part of the limit this node may use on its own (1: all of it). */
    static final class Share {
        volatile double fraction = 1.0;
    }

    LimitState(Size size, RateLimitMetrics metrics) {
        this(new LimitTable(size.maxKeys(), size.inFlight()), size, metrics, new LimitedKeys(), new Share());
    }

    /** Now on the limiter's clock, nanoseconds, always positive. */
    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    /** The burst with this node's share applied (at least 1): a half share halves it. */
    long burst(long full) {
        double f = share.fraction;
        return f >= 1.0 ? full : Math.max(1, (long) (full * f));
    }

    /** The emission interval with this node's share applied: a half share doubles it. */
    long interval(long full) {
        double f = share.fraction;
        return f >= 1.0 ? full : (long) (full / f);
    }
}
