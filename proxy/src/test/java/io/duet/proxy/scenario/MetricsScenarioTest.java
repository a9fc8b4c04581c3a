package io.duet.proxy.scenario;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.Limits;
import io.duet.config.RouteMatch;
import io.duet.proxy.metrics.PrometheusTextWriter;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.deadPort;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.route;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The metrics registry after real traffic through the whole data plane: exact counts per route, pool, server. */
class MetricsScenarioTest {

    private static long meter(MetricRegistry r, String name) {
        return r.getMeters().containsKey(name) ? r.meter(name).getCount() : -1;
    }

    private static long counter(MetricRegistry r, String name) {
        return r.getCounters().containsKey(name) ? r.counter(name).getCount() : -1;
    }

    // 3 OK requests, 2 failing ones, 1 without a route, a 414 and a 431: every count is exact.
    @Test
    void countsPerRoutePoolServerAndEdge() throws Exception {
        try (StubBackend b = StubBackend.start("b");
             ProxyFixture proxy = ProxyFixture.start(Scenarios.config(
                     new Limits(512, null, 20, null, null, null, null, null, null, null, null), null,
                     List.of(route("api", RouteMatch.pathPrefix("/api"), "p", null, null, null),
                             route("fail", RouteMatch.pathPrefix("/fail"), "down", null, null, null)),
                     pool("p", server("b", b.port())), pool("down", server("d", deadPort()))))) {
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(c.send(get("/api/" + i)).readResponse().status()).isEqualTo(200);
                }
                for (int i = 0; i < 2; i++) {
                    assertThat(c.send(get("/fail/" + i)).readResponse().status()).isEqualTo(502);
                }
                assertThat(c.send(get("/nowhere")).readResponse().status()).isEqualTo(404);
            }
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                assertThat(c.send("GET /" + "a".repeat(600) + " HTTP/1.1\r\nHost: x.test\r\n\r\n").readResponse()
                        .status()).isEqualTo(414);
            }
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                StringBuilder head = new StringBuilder("GET /api/h HTTP/1.1\r\nHost: x.test\r\n");
                for (int i = 0; i < 25; i++) {
                    head.append("X-H").append(i).append(": v\r\n");
                }
                assertThat(c.send(head.append("\r\n").toString()).readResponse().status()).isEqualTo(431);
            }

            MetricRegistry m = proxy.dataPlane().metrics();
            // Completion listeners run after the last response byte is written: wait for the in-flight counts.
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    counter(m, "duet_route_active_requests{vhost=\"v\",route=\"api\"}") == 0
                            && counter(m, "duet_route_active_requests{vhost=\"v\",route=\"fail\"}") == 0
                            && counter(m, "duet_route_responses_total{vhost=\"v\",route=\"fail\",class=\"5xx\"}") == 2);

            assertThat(meter(m, "duet_route_requests_total{vhost=\"v\",route=\"api\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_route_responses_total{vhost=\"v\",route=\"api\",class=\"2xx\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_route_responses_total{vhost=\"v\",route=\"api\",class=\"5xx\"}")).isZero();
            assertThat(meter(m, "duet_route_requests_total{vhost=\"v\",route=\"fail\"}")).isEqualTo(2);
            assertThat(counter(m, "duet_route_responses_total{vhost=\"v\",route=\"fail\",class=\"5xx\"}")).isEqualTo(2);
            assertThat(m.timer("duet_route_request_duration_seconds{vhost=\"v\",route=\"api\"}").getCount())
                    .isEqualTo(3);

            assertThat(meter(m, "duet_pool_requests_total{pool=\"p\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_pool_responses_total{pool=\"p\",class=\"2xx\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_pool_active_requests{pool=\"p\"}")).isZero();
            assertThat(meter(m, "duet_pool_requests_total{pool=\"down\"}")).isEqualTo(2);
            assertThat(counter(m, "duet_pool_responses_total{pool=\"down\",class=\"5xx\"}")).isEqualTo(2);

            assertThat(meter(m, "duet_server_requests_total{pool=\"p\",server=\"b\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_server_responses_total{pool=\"p\",server=\"b\",class=\"2xx\"}")).isEqualTo(3);
            assertThat(counter(m, "duet_server_active_requests{pool=\"p\",server=\"b\"}")).isZero();
            // The dead server never took a request; each attempt is a connect error.
            assertThat(meter(m, "duet_server_requests_total{pool=\"down\",server=\"d\"}")).isZero();
            assertThat(counter(m, "duet_server_connect_errors_total{pool=\"down\",server=\"d\"}")).isEqualTo(2);

            assertThat(counter(m, "duet_listener_rejections_total{listener=\"http\",reason=\"request_line_too_long\","
                    + "status=\"414\"}")).isEqualTo(1);
            assertThat(counter(m, "duet_listener_rejections_total{listener=\"http\",reason=\"too_many_headers\","
                    + "status=\"431\"}")).isEqualTo(1);
            assertThat(counter(m, "duet_listener_rejections_total{listener=\"http\",reason=\"bad_request\","
                    + "status=\"400\"}")).isZero();
            assertThat(counter(m, "duet_listener_connections_accepted_total{listener=\"http\"}")).isEqualTo(3);

            StringBuilder text = new StringBuilder();
            PrometheusTextWriter.write(m, text);
            assertThat(text.toString()).contains(
                    "duet_route_requests_total{vhost=\"v\",route=\"api\"} 3\n",
                    "duet_server_responses_total{pool=\"p\",server=\"b\",class=\"2xx\"} 3\n",
                    "duet_listener_rejections_total{listener=\"http\",reason=\"too_many_headers\",status=\"431\"} 1\n",
                    "duet_listener_rejections_total{listener=\"http\",reason=\"request_line_too_long\",status=\"414\"} 1\n");
        }
    }
}
