package io.duet.admin.service;

/**
 * The recent history of one pool, route or server as the node keeps it ({@link LiveNode#metricsHistory}): one
 * column per figure, one element per interval, oldest first. A neutral record: the appliance fills it from the
 * data plane (admin-ui knows nothing of the proxy). Latencies are NaN for an interval without a completed request;
 * an error column the kind does not measure is null (routes have none; {@code noServer} and {@code queueRejected}
 * belong to pools).
 *
 * @param kind             {@code pool}, {@code route} or {@code server}
 * @param scope            the server's pool, the route's virtual host; null for a pool
 * @param name             the pool, route or server
 * @param atMillis         end of each interval, epoch milliseconds
 * @param intervalMillis   measured length of each interval
 * @param requests         requests started in the interval
 * @param responses2xx     responses sent in the interval by status class (Duet's own answers included)
 * @param noServer         503s because no server of the pool was up
 * @param queueRejected    503s because the pool's queue was full or the wait timed out
 * @param connectErrors    failed connects to the server (of a pool: to its servers)
 * @param responseTimeouts requests whose response did not come in time
 * @param p50Ms            latency percentiles of the requests completed in the interval, milliseconds
 */
public record MetricSeries(String kind, String scope, String name, long[] atMillis, int[] intervalMillis,
                           int[] requests, int[] responses2xx, int[] responses3xx, int[] responses4xx,
                           int[] responses5xx, int[] noServer, int[] queueRejected, int[] connectErrors,
                           int[] responseTimeouts, float[] p50Ms, float[] p95Ms, float[] p99Ms) {
}
