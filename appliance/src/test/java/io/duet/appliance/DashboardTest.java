package io.duet.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.auth.Passwords;
import io.duet.appliance.node.Node;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import io.duet.config.HealthCheck;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's resources on a real node with a real data plane and real backends: the history shows the
 * requests the proxy served (sampled every 200 ms here, 5 s by default), alerts appear when the backends go down and
 * leave when they come back, and maintenance set by an operator is a state, never an alert.
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private Node node;
    private StubBackend b1;
    private StubBackend b2;
    private AdminApiClient admin;

    @BeforeEach
    void start() throws Exception {
        b1 = StubBackend.start("b1");
        b2 = StubBackend.start("b2");
        Map<String, String> env = LoopbackNodes.env("dash-node", dataDir, 1);
        env.put("DUET_METRICS_HISTORY_PERIOD_MS", "200");
        node = LoopbackNodes.start(env);
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.store().current().admin().users().isEmpty());
        DuetConfig cur = node.store().current();
        List<AdminUser> users = new ArrayList<>(cur.admin().users());
        users.add(new AdminUser("watcher", "viewer", Passwords.hash("watcher-password-1"), false));
        users.add(new AdminUser("ops", "operator", Passwords.hash("ops-password-1"), false));
        HealthCheck check = new HealthCheck(null, null, "/health", null, null, null, null, null, null, 100L, 80L, 1,
                1, null);
        DuetConfig doc = ConfigBuilders.document().revision(cur.revision())
                .listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("site").hostname("site.test").defaultHost()
                        .route(ConfigBuilders.forward("all", RouteMatch.any(), "web")))
                .pool(ConfigBuilders.pool("web").healthCheck(check)
                        .server(ConfigBuilders.server("127.0.0.1", b1.port()).id("b1"))
                        .server(ConfigBuilders.server("127.0.0.1", b2.port()).id("b2")))
                .build().withAdmin(new Admin(users, cur.admin().apiTokens()));
        node.store().propose(doc, cur.revision());
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().current().pool("web") != null);
        admin = new AdminApiClient(node, dataDir);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        b1.close();
        b2.close();
    }

    private JsonNode get(AdminApiClient.Session session, String path) throws Exception {
        HttpResponse<String> r = admin.get(session, path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> proxied() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.listenerAddress("http").getPort() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long sum(JsonNode column) {
        long n = 0;
        for (JsonNode v : column) {
            n += v.asLong();
        }
        return n;
    }

    private List<String> alertIds(AdminApiClient.Session session) throws Exception {
        List<String> ids = new ArrayList<>();
        get(session, "/alerts").get("alerts").forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    // Twenty requests through the proxy show in the pool's, the route's and both servers' history, on a time axis
    // of epoch milliseconds, with latency in the intervals that had requests.
    @Test
    void historyShowsRealRequests() throws Exception {
        AdminApiClient.Session viewer = admin.session("watcher", "watcher-password-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(viewer, "/metrics/history?kind=pool&name=web")
                .get("series").size() == 1);
        for (int i = 0; i < 20; i++) {
            assertThat(proxied().statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sum(get(viewer, "/metrics/history?kind=pool&name=web")
                .get("series").get(0).get("responses").get("2xx")) == 20);
        JsonNode h = get(viewer, "/metrics/history?kind=pool&name=web");
        assertThat(h.get("periodMillis").asLong()).isEqualTo(200);
        assertThat(h.get("capacity").asInt()).isEqualTo(720);
        JsonNode pool = h.get("series").get(0);
        assertThat(sum(pool.get("requests"))).isEqualTo(20);
        JsonNode at = pool.get("atMillis");
        assertThat(at.get(at.size() - 1).asLong()).isBetween(System.currentTimeMillis() - 60_000,
                System.currentTimeMillis());
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i).asLong()).isGreaterThanOrEqualTo(at.get(i - 1).asLong());
        }
        JsonNode p95 = pool.get("latencyMs").get("p95");
        JsonNode requests = pool.get("requests");
        for (int i = 0; i < requests.size(); i++) {
            // An interval that completed nothing has no latency; one with requests has some.
            if (requests.get(i).asInt() == 0 && pool.get("responses").get("2xx").get(i).asInt() == 0) {
                assertThat(p95.get(i).isNull()).as("p95 of idle interval %d", i).isTrue();
            }
        }
        assertThat(p95).anyMatch(v -> !v.isNull() && v.asDouble() > 0);

        JsonNode servers = get(viewer, "/metrics/history?kind=server&pool=web").get("series");
        assertThat(servers).hasSize(2);
        assertThat(sum(servers.get(0).get("requests")) + sum(servers.get(1).get("requests"))).isEqualTo(20);
        JsonNode route = get(viewer, "/metrics/history?kind=route&vhost=site&name=all").get("series").get(0);
        assertThat(sum(route.get("requests"))).isEqualTo(20);
        // Polling with since gives only the samples after it.
        long last = at.get(at.size() - 1).asLong();
        JsonNode later = get(viewer, "/metrics/history?kind=pool&name=web&since=" + last).get("series").get(0);
        assertThat(later.get("atMillis")).allMatch(t -> t.asLong() > last);
    }

    // Both backends down: the pool is down (critical) with each server; one back: only the other server's alert;
    // both back: no alert.
    @Test
    void alertsFollowTheBackends() throws Exception {
        AdminApiClient.Session viewer = admin.session("watcher", "watcher-password-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> alertIds(viewer).isEmpty()
                && b1.checks() > 0 && b2.checks() > 0);
        b1.stop();
        b2.stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alertIds(viewer))
                .startsWith("pool-down:web") // critical first, then oldest first
                .containsExactlyInAnyOrder("pool-down:web", "server-down:web/b1", "server-down:web/b2"));
        JsonNode down = get(viewer, "/alerts").get("alerts").get(0);
        assertThat(down.get("severity").asText()).isEqualTo("critical");
        assertThat(down.get("message").asText()).startsWith("pool 'web': no server is up (2 failing)");
        assertThat(down.get("since").asLong()).isBetween(System.currentTimeMillis() - 60_000,
                System.currentTimeMillis());
        b1.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alertIds(viewer))
                .isEqualTo(List.of("server-down:web/b2")));
        b2.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alertIds(viewer)).isEmpty());
    }

    // An operator puts b1 in maintenance: a state, no alert; with b2 then failing the pool is down, and the
    // message tells the operator's part from the failure.
    @Test
    void maintenanceIsStateNotAlert() throws Exception {
        AdminApiClient.Session viewer = admin.session("watcher", "watcher-password-1");
        AdminApiClient.Session ops = admin.session("ops", "ops-password-1");
        HttpResponse<String> put = admin.http().send(HttpRequest.newBuilder(URI.create(admin.api()
                        + "/pools/web/servers/b1/state")).header("Cookie", ops.cookie())
                .header("X-CSRF-Token", ops.csrf()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"maintenance\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(viewer, "/alerts").get("states").size() == 1);
        JsonNode alerts = get(viewer, "/alerts");
        assertThat(alerts.get("alerts")).isEmpty();
        JsonNode state = alerts.get("states").get(0);
        assertThat(state.get("object").toString()).isEqualTo("{\"kind\":\"server\",\"pool\":\"web\",\"name\":\"b1\"}");
        assertThat(state.get("state").asText()).isEqualTo("maintenance");

        b2.stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alertIds(viewer))
                .isEqualTo(List.of("pool-down:web", "server-down:web/b2")));
        assertThat(get(viewer, "/alerts").get("alerts").get(0).get("message").asText())
                .isEqualTo("pool 'web': no server is up (1 failing, 1 out by an operator)");
        b2.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alertIds(viewer)).isEmpty());
        assertThat(get(viewer, "/alerts").get("states")).hasSize(1);
    }
}
