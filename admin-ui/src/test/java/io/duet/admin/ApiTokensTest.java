package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.config.Admin;
import io.duet.config.ApiToken;
import io.duet.config.DuetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * API tokens expire (90 days unless asked, at most 365), are listed with their expiry and last use (never their
 * secret or hash), and are revoked through the API; the last use survives a restart without a revision per use.
 */
class ApiTokensTest {
    private static final long DAY = ApiToken.DAY_MS;
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    private static JsonNode listed(JsonNode list, String id) {
        for (JsonNode t : list) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("token " + id + " not in " + list);
    }

    // A token made without an expiry gets 90 days, one asked for 7 gets 7; outside 1-365 days is refused (422 with
    // the field). The list has id, name, role, owner, created, expires and last use, never the secret or its hash.
    @Test
    void tokensExpireAndAreListedWithoutTheirSecret() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        long now = System.currentTimeMillis();
        JsonNode ninety = AdminFixture.json(a.call("POST", "/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}"));
        JsonNode week = AdminFixture.json(a.call("POST", "/tokens", "{\"name\":\"once\",\"role\":\"operator\","
                + "\"expiresInDays\":7}"));
        assertThat(ninety.get("expires").asLong()).isCloseTo(now + 90 * DAY, within(60_000L));
        assertThat(week.get("expires").asLong()).isCloseTo(now + 7 * DAY, within(60_000L));
        for (String bad : List.of("0", "366", "\"soon\"")) {
            HttpResponse<String> r = a.call("POST", "/tokens", "{\"name\":\"x\",\"role\":\"viewer\","
                    + "\"expiresInDays\":" + bad + "}");
            assertThat(r.statusCode()).as(bad).isEqualTo(422);
            assertThat(AdminFixture.id(r)).isEqualTo("DUET-ADMIN-0151");
            assertThat(AdminFixture.json(r).get("violations").get(0).get("path").asText()).isEqualTo("$.expiresInDays");
        }
        assertThat(admin.fixture().store.current().admin().apiTokens()).hasSize(2);

        HttpResponse<String> list = a.call("GET", "/tokens", null);
        assertThat(list.body()).doesNotContain(ninety.get("token").asText()).doesNotContain("sha256")
                .doesNotContain(admin.fixture().store.current().admin().apiTokens().get(0).sha256());
        JsonNode ci = listed(AdminFixture.json(list), ninety.get("id").asText());
        assertThat(ci.get("name").asText()).isEqualTo("ci");
        assertThat(ci.get("role").asText()).isEqualTo("viewer");
        assertThat(ci.get("owner").asText()).isEqualTo("admin");
        assertThat(ci.get("created").asLong()).isCloseTo(now, within(60_000L));
        assertThat(ci.get("expires").asLong()).isEqualTo(ninety.get("expires").asLong());
        assertThat(ci.get("expired").asBoolean()).isFalse();
        assertThat(ci.get("lastUsed").isNull()).isTrue();
    }

    // An expired token is refused with its own id (401 DUET-ADMIN-0150) and audited; so is a token from before
    // tokens expired once it is a year old; a valid one works until it is revoked (then 401 DUET-ADMIN-0103).
    @Test
    void expiredTokensAreRefusedAndRevokedOnesToo() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        long now = System.currentTimeMillis();
        String expired = "duet_expired_secret";
        String legacy = "duet_legacy_secret";
        DuetConfig cur = admin.fixture().store.current();
        List<ApiToken> tokens = new ArrayList<>(cur.admin().apiTokens());
        tokens.add(new ApiToken("00000000000000e1", "old", "admin", AdminApi.sha256(expired), now - 100 * DAY,
                "admin", now - 10 * DAY));
        tokens.add(new ApiToken("00000000000000e2", "legacy", "admin", AdminApi.sha256(legacy), now - 366 * DAY,
                "admin"));
        admin.fixture().store.propose(cur.withAdmin(new Admin(cur.admin().users(), tokens)), cur.revision());
        AdminFixture.Client bot = admin.fixture().new Client();
        for (String secret : List.of(expired, legacy)) {
            HttpResponse<String> r = bot.call("GET", "/config", null, "Authorization", "Bearer " + secret);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(AdminFixture.id(r)).isEqualTo("DUET-ADMIN-0150");
        }
        assertThat(AdminFixture.json(a.call("GET", "/tokens", null)).findValues("expired"))
                .allMatch(JsonNode::asBoolean);
        assertThat(Files.readString(admin.fixture().dir.resolve("audit.log"))).contains("expired API token");

        JsonNode made = AdminFixture.json(a.call("POST", "/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}"));
        String secret = made.get("token").asText();
        assertThat(bot.call("GET", "/config", null, "Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);
        assertThat(a.call("DELETE", "/tokens/" + made.get("id").asText(), null).statusCode()).isEqualTo(204);
        HttpResponse<String> revoked = bot.call("GET", "/config", null, "Authorization", "Bearer " + secret);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(AdminFixture.id(revoked)).isEqualTo("DUET-ADMIN-0103");
    }

    // Each use sets the token's last use on this node without committing a revision; the listener's restart keeps
    // it (a small private file beside the audit log).
    @Test
    void lastUseIsRecordedWithoutARevisionAndSurvivesARestart() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        JsonNode made = AdminFixture.json(a.call("POST", "/tokens", "{\"name\":\"ci\",\"role\":\"viewer\"}"));
        String id = made.get("id").asText();
        long revision = admin.fixture().store.current().revision();
        long before = System.currentTimeMillis();
        AdminFixture.Client bot = admin.fixture().new Client();
        for (int i = 0; i < 3; i++) {
            assertThat(bot.call("GET", "/status/health", null, "Authorization", "Bearer " + made.get("token")
                    .asText()).statusCode()).isEqualTo(200);
        }
        assertThat(admin.fixture().store.current().revision()).as("a use commits nothing").isEqualTo(revision);
        long used = listed(AdminFixture.json(a.call("GET", "/tokens", null)), id).get("lastUsed").asLong();
        assertThat(used).isBetween(before, System.currentTimeMillis());

        admin.fixture().restartServer();
        Path file = admin.fixture().dir.resolve(AdminServer.TOKEN_USE_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        AdminFixture.Client again = admin.fixture().new Client();
        assertThat(again.login("admin", "a-good-long-password").statusCode()).isEqualTo(200);
        assertThat(listed(AdminFixture.json(again.call("GET", "/tokens", null)), id).get("lastUsed").asLong())
                .isEqualTo(used);
    }
}
