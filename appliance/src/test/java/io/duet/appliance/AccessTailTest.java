package io.duet.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.auth.Passwords;
import io.duet.appliance.node.Node;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live tail of the access log ({@code GET /api/v1/access-log/tail}) on a real node: real requests through the
 * proxy appear with their host, route, status and server, filtered by host, route and status; nothing is recorded
 * before someone watches; viewers may not read it (the records hold client addresses and paths).
 */
class AccessTailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private Node node;
    private StubBackend b1;
    private AdminApiClient admin;

    @BeforeEach
    void start() throws Exception {
        b1 = StubBackend.start("b1");
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        Map<String, String> env = LoopbackNodes.env("tail-node", dataDir, 1);
        node = LoopbackNodes.start(env);
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.store().current().admin().users().isEmpty());
        DuetConfig cur = node.store().current();
        List<AdminUser> users = new ArrayList<>(cur.admin().users());
        users.add(new AdminUser("watcher", "viewer", Passwords.hash("watcher-password-1"), false));
        users.add(new AdminUser("ops", "operator", Passwords.hash("ops-password-1"), false));
        DuetConfig doc = ConfigBuilders.document().revision(cur.revision())
                .listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("site").hostname("site.test").defaultHost()
                        .route(ConfigBuilders.forward("broken", RouteMatch.pathPrefix("/broken"), "dead"))
                        .route(ConfigBuilders.forward("all", RouteMatch.any(), "web")))
                .virtualHost(ConfigBuilders.virtualHost("other").hostname("other.test")
                        .route(ConfigBuilders.forward("main", RouteMatch.any(), "web")))
                .pool(ConfigBuilders.pool("web").server(ConfigBuilders.server("127.0.0.1", b1.port()).id("b1")))
                .pool(ConfigBuilders.pool("dead").server(ConfigBuilders.server("127.0.0.1", deadPort).id("d1")))
                .build().withAdmin(new Admin(users, cur.admin().apiTokens()));
        node.store().propose(doc, cur.revision());
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().current().pool("dead") != null
                && node.listenerAddress("http") != null);
        admin = new AdminApiClient(node, dataDir);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        b1.close();
    }

    private JsonNode tail(AdminApiClient.Session session, String query) throws Exception {
        HttpResponse<String> r = admin.get(session, "/access-log/tail" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int proxied(String host, String path) throws Exception {
        InetSocketAddress to = node.listenerAddress("http");
        return RawHttp.get(to, host, path).status();
    }

    private static List<String> field(JsonNode answer, String name) {
        List<String> out = new ArrayList<>();
        answer.get("records").forEach(r -> out.add(r.get(name).asText()));
        return out;
    }

    // Requests made before anyone watched are not recorded; once watched, every request shows with its host, route,
    // server and status, oldest first, and the filters pick by host, route and status class.
    @Test
    void realRequestsAppearFilteredByHostRouteAndStatus() throws Exception {
        AdminApiClient.Session ops = admin.session("ops", "ops-password-1");
        assertThat(proxied("site.test", "/before")).isEqualTo(200);
        JsonNode first = tail(ops, "");
        assertThat(first.get("records")).isEmpty(); // nobody watched: the request was not kept
        assertThat(first.get("capacity").asInt()).isEqualTo(1000);
        long since = first.get("lastSeq").asLong();

        for (int i = 0; i < 3; i++) {
            assertThat(proxied("site.test", "/hello/" + i)).isEqualTo(200);
        }
        assertThat(proxied("site.test", "/broken/x")).isGreaterThanOrEqualTo(500);
        assertThat(proxied("other.test:8080", "/o")).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> tail(ops, "?since=" + since).get("records").size() == 5);
        JsonNode all = tail(ops, "?since=" + since);
        assertThat(field(all, "uri")).containsExactly("/hello/0", "/hello/1", "/hello/2", "/broken/x", "/o");
        JsonNode hello = all.get("records").get(0);
        assertThat(hello.get("host").asText()).isEqualTo("site.test");
        assertThat(hello.get("vhost").asText()).isEqualTo("site");
        assertThat(hello.get("route").asText()).isEqualTo("all");
        assertThat(hello.get("server").asText()).isEqualTo("b1");
        assertThat(hello.get("status").asInt()).isEqualTo(200);
        assertThat(hello.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(hello.get("seq").asLong()).isGreaterThan(since);

        assertThat(field(tail(ops, "?since=" + since + "&host=other.test"), "uri")).containsExactly("/o");
        assertThat(field(tail(ops, "?since=" + since + "&host=site"), "uri")).hasSize(4); // the virtual host's name
        assertThat(field(tail(ops, "?since=" + since + "&route=site/broken"), "uri")).containsExactly("/broken/x");
        assertThat(field(tail(ops, "?since=" + since + "&status=5xx"), "uri")).containsExactly("/broken/x");
        assertThat(field(tail(ops, "?since=" + since + "&status=200&route=all"), "uri"))
                .containsExactly("/hello/0", "/hello/1", "/hello/2");
        assertThat(field(tail(ops, "?since=" + since + "&limit=2"), "uri")).containsExactly("/broken/x", "/o");
        assertThat(tail(ops, "?since=" + all.get("lastSeq").asLong()).get("records")).isEmpty();
    }

    // Viewers may not read client addresses and paths; a bad filter is refused with its id.
    @Test
    void operatorsOnlyAndBadQueriesRefused() throws Exception {
        AdminApiClient.Session viewer = admin.session("watcher", "watcher-password-1");
        assertThat(admin.get(viewer, "/access-log/tail").statusCode()).isEqualTo(403);
        AdminApiClient.Session ops = admin.session("ops", "ops-password-1");
        for (String bad : List.of("?status=6xx", "?status=abc", "?since=-1", "?limit=0", "?limit=1001", "?since=x")) {
            HttpResponse<String> r = admin.get(ops, "/access-log/tail" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("id").asText()).as(bad).isEqualTo("DUET-ADMIN-0132");
        }
    }
}
