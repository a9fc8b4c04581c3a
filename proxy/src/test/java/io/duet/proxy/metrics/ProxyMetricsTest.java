package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(registry);

    // Recording through a route bundle updates the registry's metrics under the documented labelled names.
    @Test
    void routeBundleRecordsUnderLabelledNames() {
        RouteMetrics route = metrics.forRoute("api", "users");
        route.requestStarted();
        route.requestStarted();
        assertThat(registry.getCounters().get("duet_route_active_requests{vhost=\"api\",route=\"users\"}").getCount())
                .isEqualTo(2);
        route.requestFinished(200, TimeUnit.MILLISECONDS.toNanos(5));
        route.requestFinished(503, TimeUnit.MILLISECONDS.toNanos(7));

        assertThat(registry.getMeters().get("duet_route_requests_total{vhost=\"api\",route=\"users\"}").getCount())
                .isEqualTo(2);
        assertThat(registry.getCounters().get("duet_route_active_requests{vhost=\"api\",route=\"users\"}").getCount())
                .isZero();
        assertThat(registry.getCounters()
                .get("duet_route_responses_total{vhost=\"api\",route=\"users\",class=\"2xx\"}").getCount()).isEqualTo(1);
        assertThat(registry.getCounters()
                .get("duet_route_responses_total{vhost=\"api\",route=\"users\",class=\"5xx\"}").getCount()).isEqualTo(1);
        assertThat(registry.getTimers().get("duet_route_request_duration_seconds{vhost=\"api\",route=\"users\"}")
                .getSnapshot().getMax()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
    }

    // A status outside 100-599 (no response sent) ends the request without counting a status class.
    @Test
    void noStatusClassForMissingStatus() {
        PoolMetrics pool = metrics.forPool("web");
        pool.requestStarted();
        pool.requestFinished(0, 1000);
        pool.requestStarted();
        pool.requestFinished(600, 1000);
        for (int c = 1; c <= 5; c++) {
            assertThat(pool.responses(c).getCount()).isZero();
        }
        assertThat(pool.active().getCount()).isZero();
        assertThat(pool.latency().getCount()).isEqualTo(2);
    }

    // Pool, server and listener bundles register every documented family.
    @Test
    void bundlesRegisterAllFamilies() {
        metrics.forPool("web").noServerAvailable().inc();
        ServerMetrics server = metrics.forServer("web", "b1");
        server.connectErrors().inc();
        server.responseTimeouts().inc();
        server.retries().inc();
        EdgeMetrics edge = metrics.forListener("main");
        edge.headersTooLarge().inc();
        edge.connectionOpened();

        assertThat(registry.getCounters()).containsKeys(
                "duet_pool_no_server_available_total{pool=\"web\"}",
                "duet_server_connect_errors_total{pool=\"web\",server=\"b1\"}",
                "duet_server_response_timeouts_total{pool=\"web\",server=\"b1\"}",
                "duet_server_retries_total{pool=\"web\",server=\"b1\"}",
                "duet_listener_rejections_total{listener=\"main\",reason=\"headers_too_large\",status=\"431\"}",
                "duet_listener_rejections_total{listener=\"main\",reason=\"request_line_too_long\",status=\"414\"}",
                "duet_listener_connections_rejected_total{listener=\"main\",reason=\"max_connections\"}",
                "duet_listener_connections_rejected_total{listener=\"main\",reason=\"proxy_protocol\"}",
                "duet_listener_connections_rejected_total{listener=\"main\",reason=\"h2_rapid_reset\"}",
                "duet_listener_rejections_total{listener=\"main\",reason=\"h2_too_many_streams\",status=\"refused_stream\"}",
                "duet_listener_rejections_total{listener=\"main\",reason=\"h2_malformed\",status=\"protocol_error\"}",
                "duet_listener_connections_accepted_total{listener=\"main\"}",
                "duet_listener_connections_open{listener=\"main\"}");
        assertThat(registry.getMeters()).containsKey("duet_server_requests_total{pool=\"web\",server=\"b1\"}");
        assertThat(edge.metricNames()).hasSize(14);
        assertThat(edge.connectionsOpen().getCount()).isEqualTo(1);
        edge.connectionClosed();
        assertThat(edge.connectionsOpen().getCount()).isZero();
        assertThat(edge.connectionsAccepted().getCount()).isEqualTo(1);
    }

    // After a reload, bundles still configured keep their instances and counts; the others leave the registry.
    @Test
    void retainOnlyRemovesGoneObjectsAndKeepsTheRest() {
        RouteMetrics kept = metrics.forRoute("api", "users");
        RouteMetrics gone = metrics.forRoute("api", "old");
        ServerMetrics goneServer = metrics.forServer("web", "b2");
        ServerMetrics keptServer = metrics.forServer("web", "b1");
        EdgeMetrics edge = metrics.forListener("main");
        kept.requestStarted();
        int before = registry.getMetrics().size();

        metrics.retainOnly(List.of(metrics.forRoute("api", "users"), metrics.forServer("web", "b1"),
                metrics.forListener("main")));

        assertThat(metrics.forRoute("api", "users")).isSameAs(kept);
        assertThat(metrics.forServer("web", "b1")).isSameAs(keptServer);
        assertThat(metrics.forListener("main")).isSameAs(edge);
        assertThat(kept.requests().getCount()).isEqualTo(1);
        assertThat(registry.getMetrics().keySet()).containsAll(kept.metricNames())
                .containsAll(keptServer.metricNames()).containsAll(edge.metricNames())
                .doesNotContainAnyElementsOf(gone.metricNames())
                .doesNotContainAnyElementsOf(goneServer.metricNames());
        assertThat(registry.getMetrics()).hasSize(before - gone.metricNames().size() - goneServer.metricNames().size());

        // The removed route comes back as a fresh bundle with zero counts.
        RouteMetrics again = metrics.forRoute("api", "old");
        assertThat(again).isNotSameAs(gone);
        assertThat(again.requests().getCount()).isZero();
    }
}
