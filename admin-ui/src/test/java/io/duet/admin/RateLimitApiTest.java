package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code GET /rate-limits} (viewer) and {@code GET /rate-limits/{name}/top} (operator) on a real admin listener; the
 * node's side is a {@link NodeView} answering what a node says (the appliance runs them over a real data plane).
 */
class RateLimitApiTest {
    @TempDir
    Path dir;
    private AdminFixture fixture;
    private final List<String> asked = new ArrayList<>();

    private final NodeView node = new NodeView() {
        @Override
        public List<Map<String, Object>> health() {
            return List.of();
        }

        @Override
        public Map<String, Object> cluster() {
            return Map.of("mode", "standalone");
        }

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }

        @Override
        public List<Map<String, Object>> rateLimits() {
            return List.of(Map.of("name", "login", "allowed", 10, "limited", 2));
        }

        @Override
        public List<Map<String, Object>> rateLimitTop(String name, int max) {
            asked.add(name + " " + max);
            return name.equals("login") ? List.of(Map.of("key", "192.0.2.7 header:X-Api-Key=#1a2b3c4d",
                    "refusals", 2)) : null;
        }
    };

    @BeforeEach
    void start() throws Exception {
        fixture = new AdminFixture(dir, node);
        fixture.firstAdmin();
        fixture.addUser("watcher", "viewer", "watcher-password-1");
        fixture.addUser("oncall", "operator", "oncall-password-1");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private AdminFixture.Client login(String user, String password) throws Exception {
        AdminFixture.Client c = fixture.new Client();
        assertThat(c.login(user, password).statusCode()).isEqualTo(200);
        return c;
    }

    // A viewer reads the limits and their counts, but not the keys (client addresses): those are an operator's.
    @Test
    void aViewerReadsTheLimitsAndAnOperatorTheirKeys() throws Exception {
        AdminFixture.Client viewer = login("watcher", "watcher-password-1");
        HttpResponse<String> list = viewer.call("GET", "/rate-limits", null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(AdminFixture.json(list).get("rateLimits").get(0).get("limited").asInt()).isEqualTo(2);
        assertThat(viewer.call("GET", "/rate-limits/login/top", null).statusCode()).isEqualTo(403);
        assertThat(asked).isEmpty();

        AdminFixture.Client operator = login("oncall", "oncall-password-1");
        HttpResponse<String> top = operator.call("GET", "/rate-limits/login/top?limit=5", null);
        assertThat(top.statusCode()).as(top.body()).isEqualTo(200);
        JsonNode keys = AdminFixture.json(top).get("keys");
        assertThat(keys.get(0).get("key").asText()).isEqualTo("192.0.2.7 header:X-Api-Key=#1a2b3c4d");
        assertThat(asked).containsExactly("login 5");
    }

    // An unknown limit is 404; a bad limit parameter is 400 with its id and asks the node nothing.
    @Test
    void unknownLimitsAndBadQueriesAreRefused() throws Exception {
        AdminFixture.Client operator = login("oncall", "oncall-password-1");
        HttpResponse<String> none = operator.call("GET", "/rate-limits/nope/top", null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(AdminFixture.id(none)).isEqualTo("DUET-ADMIN-0140");
        for (String q : List.of("0", "101", "ten")) {
            HttpResponse<String> r = operator.call("GET", "/rate-limits/login/top?limit=" + q, null);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(AdminFixture.id(r)).as(q).isEqualTo("DUET-ADMIN-0137");
        }
        assertThat(asked).containsExactly("nope 20");
    }
}
