package io.duet.proxy.metrics;

/**
 * The recent history of one route, pool or server, one column per figure and one element per interval, oldest
 * first. Latencies are NaN for an interval without a completed request. Error columns a kind does not measure are
 * null: a route has none; {@code noServer} and {@code queueRejected} belong to pools. The arrays are the caller's.
 *
 * @param kind             {@code pool}, {@code route} or {@code server}
 * @param scope            the server's pool, the route's virtual host; null for a pool
 * @param name             the pool, route or server
 * @param atMillis         end of each interval (epoch milliseconds, the node's clock)
 * @param intervalMillis   length of each interval as measured
 * @param requests         requests started in the interval
 * @param responses2xx     responses sent in the interval, by status class (Duet's own answers included)
 * @param noServer         503s because no server of the pool was up
 * @param queueRejected    503s because the pool's queue was full or the wait timed out
 * @param connectErrors    failed connects to the server (of a pool: to its servers); a retried one also counts
 * @param responseTimeouts requests whose response did not come in time (504 unless already started)
 * @param p50Ms            latency percentiles of the requests completed in the interval, in milliseconds
 */
public record HistorySeries(String kind, String scope, String name, long[] atMillis, int[] intervalMillis,
                            int[] requests, int[] responses2xx, int[] responses3xx, int[] responses4xx,
                            int[] responses5xx, int[] noServer, int[] queueRejected, int[] connectErrors,
                            int[] responseTimeouts, float[] p50Ms, float[] p95Ms, float[] p99Ms) {
}
