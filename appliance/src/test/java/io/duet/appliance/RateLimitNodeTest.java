package io.duet.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.auth.Passwords;
import io.duet.appliance.node.Node;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.RateLimit;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TrustOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits on a real node: a limit committed through the store is enforced by the proxy, the API shows its counts
 * (viewer) and the keys it refused (operator; an API key only as a short hash), and a committed rule change applies.
 */
class RateLimitNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private Node node;
    private StubBackend b1;
    private HttpClient https;
    private String api;

    @BeforeEach
    void start() throws Exception {
        b1 = StubBackend.start("b1");
        node = LoopbackNodes.start(LoopbackNodes.env("limit-node", dataDir, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.store().current().admin().users().isEmpty());
        commit(2);
        X509Certificate cert = io.duet.tls.CertificateImport.readCertificates(
                Files.readString(dataDir.resolve("tls").resolve("self-signed.pem"))).get(0);
        https = HttpClient.newBuilder().sslContext(TrustOnly.context(cert)).build();
        api = "https://127.0.0.1:" + node.adminAddress().getPort() + "/api/v1";
    }

    /** Commits the document with a limit of {@code requests} an hour per API key and client on route "api". */
    private void commit(long requests) throws Exception {
        DuetConfig cur = node.store().current();
        List<AdminUser> users = new ArrayList<>(cur.admin().users());
        if (users.stream().noneMatch(u -> u.name().equals("ops"))) {
            users.add(new AdminUser("watcher", "viewer", Passwords.hash("watcher-password-1"), false));
            users.add(new AdminUser("ops", "operator", Passwords.hash("ops-password-1"), false));
        }
        DuetConfig doc = ConfigBuilders.document().revision(cur.revision())
                .listener(new Listener("http", "127.0.0.1", 0))
                .rateLimit(new RateLimit("keys", List.of("client", "header:X-Api-Key"), requests, "hour", null, null,
                        null, null, true, null, null, null, null))
                .virtualHost(ConfigBuilders.virtualHost("site").hostname("site.test").defaultHost()
                        .route(ConfigBuilders.forward("api", RouteMatch.pathPrefix("/api"), "web").rateLimit("keys"))
                        .route(ConfigBuilders.forward("all", RouteMatch.any(), "web")))
                .pool(ConfigBuilders.pool("web").server(ConfigBuilders.server("127.0.0.1", b1.port()).id("b1")))
                .build().withAdmin(new Admin(users, cur.admin().apiTokens()));
        long next = node.store().propose(doc, cur.revision()).revision();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().current().revision() == next
                && node.listenerAddress("http") != null);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        b1.close();
    }

    private String login(String user, String password) throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(api + "/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + user + "\",\"password\":\"" + password
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<String> call(String cookie, String path) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create(api + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RawHttp.Response proxied(String path, String apiKey) {
        try (RawHttp c = RawHttp.connect(node.listenerAddress("http"))) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: site.test\r\nX-Api-Key: " + apiKey
                    + "\r\nConnection: close\r\n\r\n").readResponse();
        }
    }

    // The committed limit is enforced; the viewer reads the counts, the operator the refused key, hashed.
    @Test
    void aCommittedLimitIsEnforcedAndVisible() throws Exception {
        assertThat(proxied("/api/x", "sk-live-123").status()).isEqualTo(200);
        assertThat(proxied("/api/x", "sk-live-123").status()).isEqualTo(200);
        RawHttp.Response refused = proxied("/api/x", "sk-live-123");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(proxied("/other", "sk-live-123").status()).as("another route").isEqualTo(200);

        String viewer = login("watcher", "watcher-password-1");
        JsonNode limits = JSON.readTree(call(viewer, "/rate-limits").body()).get("rateLimits");
        assertThat(limits.get(0).get("name").asText()).isEqualTo("keys");
        assertThat(limits.get(0).get("allowed").asLong()).isEqualTo(2);
        assertThat(limits.get(0).get("limited").asLong()).isEqualTo(1);
        assertThat(call(viewer, "/rate-limits/keys/top").statusCode()).isEqualTo(403);

        String ops = login("ops", "ops-password-1");
        HttpResponse<String> top = call(ops, "/rate-limits/keys/top");
        assertThat(top.statusCode()).as(top.body()).isEqualTo(200);
        assertThat(top.body()).doesNotContain("sk-live-123");
        assertThat(JSON.readTree(top.body()).get("keys").get(0).get("key").asText())
                .matches("127\\.0\\.0\\.1 header:X-Api-Key=#[0-9a-f]{8}");

        commit(10); // a raised limit: committed, applied, and the key may go on at once
        assertThat(proxied("/api/x", "sk-live-123").status()).isEqualTo(200);
    }
}
