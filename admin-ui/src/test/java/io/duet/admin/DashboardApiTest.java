package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.admin.service.MetricHistory;
import io.duet.admin.service.MetricSeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's two resources on a real admin listener: {@code GET /metrics/history} (the node's history as
 * columns with units, its query checked) and {@code GET /alerts}, both for a viewer. The node's live side is a
 * {@link NodeView} answering what a node says (the appliance's tests run them over a real data plane).
 */
class DashboardApiTest {
    @TempDir
    Path dir;
    private AdminFixture fixture;
    private final List<String> asked = new ArrayList<>();
    private volatile List<Map<String, Object>> health = List.of();

    private final NodeView node = new NodeView() {
        @Override
        public List<Map<String, Object>> health() {
            return health;
        }

        @Override
        public Map<String, Object> cluster() {
            return Map.of("node", "n1", "mode", "standalone");
        }

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }

        @Override
        public MetricHistory metricsHistory(String kind, String scope, String name, long sinceMillis) {
            asked.add(kind + " " + scope + " " + name + " " + sinceMillis);
            MetricSeries pool = new MetricSeries("pool", null, "web", new long[] {1_000, 6_000},
                    new int[] {5_000, 4_000}, new int[] {10, 0}, new int[] {8, 0}, new int[] {1, 0}, new int[] {0, 0},
                    new int[] {1, 0}, new int[] {1, 0}, new int[] {0, 0}, new int[] {2, 0}, new int[] {0, 0},
                    new float[] {1.5f, Float.NaN}, new float[] {20.25f, Float.NaN}, new float[] {30f, Float.NaN});
            MetricSeries route = new MetricSeries("route", "api", "users", new long[] {6_000}, new int[] {5_000},
                    new int[] {3}, new int[] {3}, new int[] {0}, new int[] {0}, new int[] {0}, null, null, null, null,
                    new float[] {2f}, new float[] {2f}, new float[] {2f});
            return new MetricHistory(5_000, 720, 1_000, 0, kind.equals("pool") ? List.of(pool) : List.of(route));
        }
    };

    @BeforeEach
    void start() throws Exception {
        fixture = new AdminFixture(dir, node);
        fixture.firstAdmin();
        fixture.addUser("watcher", "viewer", "watcher-password-1");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private AdminFixture.Client viewer() throws Exception {
        AdminFixture.Client c = fixture.new Client();
        assertThat(c.login("watcher", "watcher-password-1").statusCode()).isEqualTo(200);
        return c;
    }

    // A viewer reads the history: columns of one length, a rate per second from the measured interval, null
    // latency for an idle interval, the error columns a kind measures and no others.
    @Test
    void historyIsColumnsWithUnits() throws Exception {
        AdminFixture.Client c = viewer();
        HttpResponse<String> r = c.call("GET", "/metrics/history?kind=pool&name=web&since=500", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(asked).containsExactly("pool null web 500");
        JsonNode h = AdminFixture.json(r);
        assertThat(h.get("periodMillis").asLong()).isEqualTo(5_000);
        assertThat(h.get("capacity").asInt()).isEqualTo(720);
        assertThat(h.get("units").get("latencyMs").asText()).startsWith("milliseconds");
        JsonNode s = h.get("series").get(0);
        assertThat(s.get("kind").asText()).isEqualTo("pool");
        assertThat(s.has("pool")).isFalse();
        assertThat(s.get("atMillis").toString()).isEqualTo("[1000,6000]");
        assertThat(s.get("requestsPerSecond").toString()).isEqualTo("[2.0,0.0]");
        assertThat(s.get("responses").get("2xx").toString()).isEqualTo("[8,0]");
        assertThat(s.get("duetErrors").get("noServer").toString()).isEqualTo("[1,0]");
        assertThat(s.get("duetErrors").get("connectErrors").toString()).isEqualTo("[2,0]");
        assertThat(s.get("latencyMs").get("p95").toString()).isEqualTo("[20.25,null]");

        JsonNode route = AdminFixture.json(c.call("GET", "/metrics/history?kind=route&vhost=api", null))
                .get("series").get(0);
        assertThat(asked).last().isEqualTo("route api null 0");
        assertThat(route.get("vhost").asText()).isEqualTo("api");
        assertThat(route.get("duetErrors").size()).isZero();
        assertThat(c.call("GET", "/metrics/history?kind=server&pool=web&name=b1", null).statusCode())
                .isEqualTo(200);
        assertThat(asked).last().isEqualTo("server web b1 0");
    }

    // A query the node cannot answer is refused with its id, and asks the node nothing.
    @Test
    void badHistoryQueriesAreRefused() throws Exception {
        AdminFixture.Client c = viewer();
        for (String q : List.of("", "?kind=listener", "?kind=pool&since=yesterday", "?kind=pool&pool=web",
                "?kind=server&vhost=api")) {
            HttpResponse<String> r = c.call("GET", "/metrics/history" + q, null);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(AdminFixture.id(r)).as(q).isEqualTo("DUET-ADMIN-0131");
        }
        assertThat(asked).isEmpty();
        assertThat(fixture.new Client().call("GET", "/metrics/history?kind=pool", null).statusCode()).isEqualTo(401);
    }

    // Alerts come and go with the live health; an alert keeps its id and since while it lasts.
    @Test
    void alertsFollowTheLiveHealth() throws Exception {
        AdminFixture.Client c = viewer();
        JsonNode none = AdminFixture.json(c.call("GET", "/alerts", null));
        assertThat(none.get("alerts").size()).isZero();
        assertThat(none.get("states").size()).isZero();

        health = List.of(Map.of("pool", "web", "available", 0, "servers", List.of(Map.of("server", "b1",
                "state", "down", "available", false, "reason", "connection refused"))));
        JsonNode first = AdminFixture.json(c.call("GET", "/alerts", null));
        JsonNode down = first.get("alerts").get(0);
        assertThat(down.get("id").asText()).isEqualTo("pool-down:web");
        assertThat(down.get("severity").asText()).isEqualTo("critical");
        assertThat(down.get("object").toString()).isEqualTo("{\"kind\":\"pool\",\"name\":\"web\"}");
        assertThat(first.get("alerts").get(1).get("object").toString())
                .isEqualTo("{\"kind\":\"server\",\"pool\":\"web\",\"name\":\"b1\"}");
        // No since from the source: the time it was first seen, the same at the next call.
        assertThat(down.get("since").asLong()).isBetween(first.get("now").asLong() - 60_000,
                first.get("now").asLong());
        JsonNode second = AdminFixture.json(c.call("GET", "/alerts", null));
        assertThat(second.get("alerts").get(0).get("since").asLong()).isEqualTo(down.get("since").asLong());

        health = List.of(Map.of("pool", "web", "available", 1, "servers", List.of(Map.of("server", "b1",
                "state", "up", "available", true))));
        assertThat(AdminFixture.json(c.call("GET", "/alerts", null)).get("alerts").size()).isZero();
    }
}
