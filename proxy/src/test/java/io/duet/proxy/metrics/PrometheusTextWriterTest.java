package io.duet.proxy.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextWriterTest {

    private static String render(MetricRegistry registry) throws IOException {
        StringBuilder sb = new StringBuilder();
        PrometheusTextWriter.write(registry, sb);
        return sb.toString();
    }

    // Each Dropwizard type maps to its documented Prometheus type, grouped per family with one HELP and one TYPE.
    @Test
    void writesEveryTypeExactly() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.counter(MetricName.encode("duet_pool_no_server_available_total", "pool", "b")).inc(0);
        registry.counter(MetricName.encode("duet_pool_no_server_available_total", "pool", "a")).inc(2);
        registry.counter(MetricName.encode("duet_pool_active_requests", "pool", "a")).inc(3);
        registry.meter(MetricName.encode("duet_route_requests_total", "vhost", "api", "route", "a\"b\\c\nd")).mark(5);
        registry.gauge("jvm_threads_live", () -> (Gauge<Integer>) () -> 7);
        registry.gauge("cache.ratio", () -> (Gauge<Double>) () -> 0.25);
        registry.gauge("version", () -> (Gauge<String>) () -> "1.2.3");
        Timer timer = new Timer(new SlidingWindowReservoir(4));
        for (int i = 0; i < 4; i++) {
            timer.update(1500, TimeUnit.MILLISECONDS);
        }
        registry.register(MetricName.encode("duet_route_request_duration_seconds", "vhost", "api", "route", "u"), timer);
        Histogram histogram = new Histogram(new SlidingWindowReservoir(4));
        for (int i = 0; i < 4; i++) {
            histogram.update(10);
        }
        registry.register("resp.size", histogram);

        assertThat(render(registry)).isEqualTo("""
                # HELP cache_ratio Dropwizard metric cache.ratio
                # TYPE cache_ratio gauge
                cache_ratio 0.25
                # HELP duet_pool_active_requests Requests of the pool in flight.
                # TYPE duet_pool_active_requests gauge
                duet_pool_active_requests{pool="a"} 3
                # HELP duet_pool_no_server_available_total Requests answered 503 because no server of the pool was up.
                # TYPE duet_pool_no_server_available_total counter
                duet_pool_no_server_available_total{pool="a"} 2
                duet_pool_no_server_available_total{pool="b"} 0
                # HELP duet_route_request_duration_seconds Request duration through the route, in seconds.
                # TYPE duet_route_request_duration_seconds summary
                duet_route_request_duration_seconds{vhost="api",route="u",quantile="0.5"} 1.5
                duet_route_request_duration_seconds{vhost="api",route="u",quantile="0.9"} 1.5
                duet_route_request_duration_seconds{vhost="api",route="u",quantile="0.99"} 1.5
                duet_route_request_duration_seconds{vhost="api",route="u",quantile="0.999"} 1.5
                duet_route_request_duration_seconds_sum{vhost="api",route="u"} 6
                duet_route_request_duration_seconds_count{vhost="api",route="u"} 4
                # HELP duet_route_requests_total Requests matched to the route.
                # TYPE duet_route_requests_total counter
                duet_route_requests_total{vhost="api",route="a\\"b\\\\c\\nd"} 5
                # HELP jvm_threads_live Dropwizard metric jvm_threads_live
                # TYPE jvm_threads_live gauge
                jvm_threads_live 7
                # HELP resp_size Dropwizard metric resp.size
                # TYPE resp_size summary
                resp_size{quantile="0.5"} 10
                resp_size{quantile="0.9"} 10
                resp_size{quantile="0.99"} 10
                resp_size{quantile="0.999"} 10
                resp_size_sum 40
                resp_size_count 4
                """);
    }

    // A Meter whose name lacks _total gets it appended, since it is exposed as a counter.
    @Test
    void meterWithoutTotalSuffixGetsOne() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.meter("requests").mark();
        assertThat(render(registry)).contains("# TYPE requests_total counter\nrequests_total 1\n");
    }

    // A full proxy registry (all bundles, JVM gauges, access log counter) passes the strict format validator.
    @Test
    void fullRegistryIsValidExposition() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        RouteMetrics r1 = metrics.forRoute("api", "users");
        RouteMetrics r2 = metrics.forRoute("api", "we\"ird\\ro\nute");
        PoolMetrics pool = metrics.forPool("web");
        ServerMetrics s1 = metrics.forServer("web", "b1");
        metrics.forServer("web", "b2");
        EdgeMetrics edge = metrics.forListener("main");
        metrics.forListener("admin");
        for (TrafficMetrics t : List.of(r1, r2, pool, s1)) {
            t.requestStarted();
            t.requestFinished(204, 2_000_000);
        }
        edge.bodyTooLarge().inc();
        JvmMetrics.registerInto(registry);
        registry.counter("duet_access_log_dropped_total").inc();

        String text = render(registry);
        Map<String, String> samples = PrometheusTextValidator.validate(text);

        assertThat(samples).containsEntry("duet_route_requests_total{vhost=\"api\",route=\"users\"}", "1")
                .containsEntry("duet_route_responses_total{vhost=\"api\",route=\"we\\\"ird\\\\ro\\nute\",class=\"2xx\"}", "1")
                .containsEntry("duet_server_request_duration_seconds_count{pool=\"web\",server=\"b1\"}", "1")
                .containsEntry("duet_server_request_duration_seconds{pool=\"web\",server=\"b1\",quantile=\"0.99\"}", "0.002")
                .containsEntry("duet_listener_rejections_total{listener=\"main\",reason=\"body_too_large\",status=\"413\"}", "1")
                .containsEntry("duet_access_log_dropped_total", "1")
                .containsKeys("jvm_memory_heap_used_bytes", "jvm_threads_live", "process_uptime_seconds");
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_gc_collections{gc=\""));
        assertThat(text).contains("# TYPE duet_route_active_requests gauge\n",
                "# TYPE duet_route_request_duration_seconds summary\n",
                "# TYPE duet_listener_connections_open gauge\n",
                "# TYPE duet_listener_rejections_total counter\n");
    }

    // Special float values are written the way Prometheus parses them.
    @Test
    void specialValuesUseGoSpelling() {
        StringBuilder sb = new StringBuilder();
        PrometheusTextWriter.appendDouble(sb, Double.NaN);
        sb.append(' ');
        PrometheusTextWriter.appendDouble(sb, Double.POSITIVE_INFINITY);
        sb.append(' ');
        PrometheusTextWriter.appendDouble(sb, Double.NEGATIVE_INFINITY);
        sb.append(' ');
        PrometheusTextWriter.appendDouble(sb, 1e-7);
        sb.append(' ');
        PrometheusTextWriter.appendDouble(sb, 3.0);
        assertThat(sb.toString()).isEqualTo("NaN +Inf -Inf 1.0E-7 3");
    }
}
