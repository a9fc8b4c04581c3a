package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP: each commit's audit record names the type of the change it made, and a 405's Allow lists the methods
 * the route table has for the path.
 */
class AuditChangeTypeTest {
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    @Test
    void commitsRecordTheirChangeType() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        assertThat(a.call("POST", "/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}").statusCode()).isEqualTo(201);
        assertThat(a.call("PUT", "/pools/api", "{\"servers\":[{\"id\":\"s1\",\"address\":\"127.0.0.1\",\"port\":"
                + "9001}]}").statusCode()).isEqualTo(201);
        assertThat(a.call("PUT", "/pools/api/servers/s1/state", "{\"state\":\"drain\"}").statusCode()).isEqualTo(200);

        List<String> changes = new ArrayList<>();
        for (JsonNode r : AdminFixture.json(a.call("GET", "/audit", null))) {
            if (r.path("action").asText().equals("commit")) {
                changes.add(0, r.path("change").asText());
            } else {
                assertThat(r.path("change").isNull() || r.path("change").isMissingNode()).as(r.toString()).isTrue();
            }
        }
        assertThat(changes).containsSubsequence("ChangeOwnPassword", "PutApiToken", "PutPart", "SetServerState");
        assertThat(Files.readString(admin.fixture().dir.resolve("audit.log")))
                .contains("\"change\":\"SetServerState\"");
    }

    @Test
    void theAllowOfA405ComesFromTheRouteTable() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        HttpResponse<String> config = a.call("PATCH", "/config", "{}");
        assertThat(config.statusCode()).isEqualTo(405);
        assertThat(config.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(a.call("POST", "/pools/api", "{}").headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
        assertThat(a.call("DELETE", "/limits", null).headers().firstValue("Allow")).hasValue("GET, PUT");
        HttpResponse<String> session = admin.fixture().new Client().call("PATCH", "/session", "{}");
        assertThat(session.statusCode()).as("authentication first").isEqualTo(401);
    }
}
