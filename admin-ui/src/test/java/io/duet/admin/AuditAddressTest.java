package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail says from where: every record of an admin listener call carries the client's address. */
class AuditAddressTest {
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    // A commit made with an API token from 127.0.0.2 is audited with 127.0.0.2 (the API and the local file), as a
    // session's commit from 127.0.0.1 is with 127.0.0.1.
    @Test
    void commitsAreAuditedWithTheClientAddress() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        String token = AdminFixture.json(a.call("POST", "/tokens", "{\"name\":\"ci\",\"role\":\"admin\"}"))
                .get("token").asText();
        String limits = a.call("GET", "/limits", null).body().replace("\"maxHeaderCount\":100",
                "\"maxHeaderCount\":60");
        AdminFixture.Raw put = admin.fixture().from("127.0.0.2", "PUT", "/limits", limits, "Authorization",
                "Bearer " + token);
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        JsonNode records = AdminFixture.json(a.call("GET", "/audit", null));
        JsonNode byToken = null;
        JsonNode bySession = null;
        for (JsonNode r : records) {
            if (r.path("action").asText().equals("commit") && r.path("detail").asText().equals("limits changed")) {
                byToken = r;
            }
            if (r.path("action").asText().equals("commit") && r.path("detail").asText().startsWith("API token")) {
                bySession = r;
            }
        }
        assertThat(byToken).as(records.toString()).isNotNull();
        assertThat(byToken.path("address").asText()).isEqualTo("127.0.0.2");
        assertThat(byToken.path("user").asText()).startsWith("token:");
        assertThat(bySession).as(records.toString()).isNotNull();
        assertThat(bySession.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(Files.readString(admin.fixture().dir.resolve("audit.log")))
                .contains("\"address\":\"127.0.0.2\",\"action\":"
                + "\"commit\"");
    }
}
