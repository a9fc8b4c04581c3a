/**
 * Metrics of the data plane: labelled names on Dropwizard Metrics, pre-registered bundles for the request path,
 * Prometheus text exposition, JMX and the management HTTP listener.
 *
 * <h2>Names</h2>
 * Dropwizard names are flat strings; labels are encoded in them in Prometheus sample syntax by {@link
 * io.duet.proxy.metrics.MetricName}: {@code duet_route_requests_total{vhost="api",route="users"}}. Families:
 * <pre>
 * duet_{route|pool|server}_requests_total              Meter    requests attributed to the object (rates lazy)
 * duet_{route|pool|server}_request_duration_seconds    Timer    latency (summary in seconds, exact _sum)
 * duet_{route|pool|server}_responses_total{class=Nxx}  Counter  responses by status class 1xx..5xx
 * duet_{route|pool|server}_active_requests             Counter  in flight = started - finished (gauge)
 * duet_pool_no_server_available_total                  Counter  503 because no server was up
 * duet_server_{connect_errors|response_timeouts|retries}_total   Counter
 * duet_listener_rejections_total{reason,status}        Counter  one per edge limit (see EdgeMetrics)
 * duet_listener_connections_rejected_total{reason}     Counter  max_connections, proxy_protocol
 * duet_listener_connections_accepted_total, duet_listener_connections_open
 * duet_access_log_dropped_total                        Counter  access log records lost
 * </pre>
 * Label keys: routes {@code vhost,route}; pools {@code pool}; servers {@code pool,server}; listeners
 * {@code listener}.
 *
 * <h2>Recording (request path)</h2>
 * While compiling a configuration snapshot, get bundles from {@link io.duet.proxy.metrics.ProxyMetrics}
 * ({@code forRoute}, {@code forPool}, {@code forServer}, {@code forListener}), keep them in the snapshot, then call
 * {@code retainOnly(allBundlesOfTheSnapshot)}. Per request:
 * <pre>
 * route.requestStarted(); pool.requestStarted(); server.requestStarted();
 * ... server.connectErrors().inc() / server.retries().inc() / pool.noServerAvailable().inc() as they happen ...
 * server.requestFinished(status, nanos); pool.requestFinished(status, nanos); route.requestFinished(status, nanos);
 * edge.headersTooLarge().inc();  edge.connectionOpened(); edge.connectionClosed();
 * </pre>
 * Recording methods are safe on I/O threads: they never block, never build strings and never look anything up.
 * They are cheap (a few {@code LongAdder} adds per bundle, see {@link io.duet.proxy.metrics.TrafficMetrics}):
 * moving-average rates are computed when read, never per request.
 *
 * <h2>Exposure</h2>
 * {@link io.duet.proxy.metrics.PrometheusTextWriter} (format 0.0.4; type mapping in its doc),
 * {@link io.duet.proxy.metrics.ManagementServer} ({@code GET /metrics}, {@code GET /healthz}),
 * {@link io.duet.proxy.metrics.JmxExposure} ({@code io.duet:type=route,name=requests_total,vhost=api,route=users}),
 * {@link io.duet.proxy.metrics.JvmMetrics} (a few process/JVM gauges).
 *
 * <h2>History</h2>
 * {@link io.duet.proxy.metrics.MetricsHistory} keeps the last hour of every route, pool and server in 5-second
 * intervals (requests, responses by class, Duet's own failures, latency percentiles of the interval), sampled by
 * {@link io.duet.proxy.metrics.HistorySampler} off the I/O threads from the counters above and the positions of the
 * latency reservoirs: the request path pays nothing for it.
 */
package io.duet.proxy.metrics;
