/**
 * Rate limits: a listener's before routing, a route's after it was chosen. Each limit is GCRA over a fixed-size,
 * lock-free table of key hashes ({@code LimitTable}) that outlives reloads ({@code RateLimits}); keys are read from
 * the request without building their text ({@code RequestKeys}); a refused request gets 429 (or the limit's status)
 * with {@code Retry-After}, a delayed one waits on a timer of its own I/O thread. The pair's seam: this node's
 * admissions per key to report, the peer's to charge, and this node's share of the limit when the peer is gone.
 * See docs/rate-limits.md.
 */
package io.duet.proxy.ratelimit;
