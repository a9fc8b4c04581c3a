package io.duet.appliance;

import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's admin listener: at the first start the node creates user 'admin' with a random password (file 0600),
 * the listener serves the API over HTTPS with the node's certificate, the password works once and must be changed;
 * a restart creates no second admin.
 */
class AdminListenerTest {
    @TempDir
    Path dataDir;
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    private Node start() throws StartupException {
        Node node = LoopbackNodes.start(env());
        nodes.add(node);
        return node;
    }

    private Map<String, String> env() {
        return LoopbackNodes.env("admin-node", dataDir, 1);
    }

    private String cli(int expectedExit, String... args) {
        picocli.CommandLine cmd = Main.commandLine(env(), dataDir.resolve("absent.properties"));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        assertThat(cmd.execute(args)).as(out + "" + err).isEqualTo(expectedExit);
        return out + "" + err;
    }

    // A lost admin password is reset from the node's console: a new one-time password (printed once) replaces the
    // old one on the running node, must be changed at login; a missing user is created with --role; a bad role is a
    // usage error that changes nothing.
    @Test
    void lostPasswordIsResetFromTheConsole() throws Exception {
        Node node = start();
        Path file = dataDir.resolve("admin-password");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && !node.store().current().admin().users().isEmpty());
        String first = Files.readAllLines(file).get(1);
        long before = node.store().current().revision();
        String hashBefore = node.store().current().admin().user("admin").passwordHash();

        String out = cli(0, "admin", "reset-password");
        assertThat(out).contains("Reset the password of 'admin' (revision " + (before + 1) + ")");
        String fresh = out.lines().toList().get(1).trim();
        assertThat(fresh).hasSize(20).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().current().revision() == before + 1);
        // (standalone, the running node learns of the change as an edit of its watched file)
        assertThat(node.store().current().admin().user("admin").passwordHash()).isNotEqualTo(hashBefore);

        AdminApiClient admin = new AdminApiClient(node, dataDir);
        assertThat(admin.login("admin", first).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = admin.login("admin", fresh);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"mustChangePassword\":true", "\"role\":\"admin\"");

        String ops = cli(0, "admin", "reset-password", "--user", "ops", "--role", "operator");
        assertThat(ops).contains("Created operator user 'ops'");
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().current().admin().user("ops") != null);
        HttpResponse<String> opsLogin = admin.login("ops", ops.lines().toList().get(1).trim());
        assertThat(opsLogin.statusCode()).isEqualTo(200);
        assertThat(opsLogin.body()).contains("\"role\":\"operator\"");

        long now = node.store().current().revision();
        assertThat(cli(2, "admin", "reset-password", "--role", "boss")).contains("DUET-CLI-0015");
        assertThat(node.store().current().revision()).isEqualTo(now);
    }

    @Test
    void firstStartCreatesTheAdminAndTheApiAnswersOverHttps() throws Exception {
        Node node = start();
        Path file = dataDir.resolve("admin-password");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readAllLines(file).get(1);
        assertThat(password).hasSize(20);
        long revision = node.store().current().revision();

        AdminApiClient admin = new AdminApiClient(node, dataDir);
        HttpResponse<String> login = admin.login("admin", password);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("\"mustChangePassword\":true");

        node.close();
        Node again = start();
        assertThat(again.store().current().revision()).as("no second admin at the next start").isEqualTo(revision);
        assertThat(again.store().current().admin().users()).hasSize(1);
    }

    private static String session(HttpResponse<String> r) {
        String c = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    // Through the real node: change the first password, add a pool of two real backends and a route with the API,
    // see the proxy serve it, drain a server (the answer shows its live figures), read health, cluster and metrics.
    @Test
    void serverActionsAndLiveStatus() throws Exception {
        StubBackend backend = StubBackend.start("backend").body("from backend\n");
        try {
            Node node = start();
            Path file = dataDir.resolve("admin-password");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
            AdminApiClient admin = new AdminApiClient(node, dataDir);
            HttpClient http = admin.http();
            String base = admin.api();
            HttpResponse<String> login = admin.login("admin", Files.readAllLines(file).get(1));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            String csrf = json.readTree(login.body()).get("csrfToken").asText();
            HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base + "/session/password"))
                    .header("Cookie", session(login)).header("X-CSRF-Token", csrf)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"current\":\"" + Files.readAllLines(file).get(1)
                            + "\",\"new\":\"the-operators-own-password\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(changed.statusCode()).isEqualTo(200);
            String cookie = session(changed);
            csrf = json.readTree(changed.body()).get("csrfToken").asText();

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/config"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.node.ObjectNode doc =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(get.body());
            int port = backend.port();
            doc.set("pools", json.readTree("[{\"name\":\"p\",\"servers\":[{\"id\":\"b1\",\"address\":"
                    + "\"127.0.0.1\",\"port\":" + port + "},{\"id\":\"b2\",\"address\":\"localhost\",\"port\":"
                    + port + "}]}]")); // b2 by host name: the status shows what it resolved to
            com.fasterxml.jackson.databind.node.ObjectNode route = (com.fasterxml.jackson.databind.node.ObjectNode)
                    doc.get("virtualHosts").get(0).get("routes").get(0);
            route.remove("respond");
            route.put("pool", "p");
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/config"))
                    .header("Cookie", cookie).header("X-CSRF-Token", csrf)
                    .header("If-Match", get.headers().firstValue("ETag").orElseThrow())
                    .PUT(HttpRequest.BodyPublishers.ofString(doc.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            java.net.InetSocketAddress proxy = node.listenerAddress(EmbeddedDocuments.LISTENER);
            await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.get(proxy, "localhost", "/").body()
                    .equals("from backend\n"));

            HttpResponse<String> drain = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/pools/p/servers/b1/state")).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"drain\",\"drainSeconds\":60}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(drain.statusCode()).as(drain.body()).isEqualTo(200);
            com.fasterxml.jackson.databind.JsonNode d = json.readTree(drain.body());
            assertThat(d.get("state").asText()).isEqualTo("drain");
            assertThat(d.get("drainUntil").asText()).endsWith("Z");
            assertThat(d.get("live").has("activeRequests")).isTrue();
            assertThat(node.store().current().pool("p").servers().get(0).state()).isEqualTo("drain");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String health = http.send(HttpRequest.newBuilder(URI.create(base + "/status/health"))
                        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(json.readTree(health).get(0).get("servers").get(0).get("available").asBoolean()).isFalse();
            });
            com.fasterxml.jackson.databind.JsonNode servers = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/status/health")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get(0).get("servers");
            assertThat(servers.get(0).get("resolvedAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(servers.get(0).get("resolvedAt").isNull()).isTrue(); // an IP address is never looked up
            assertThat(servers.get(1).get("address").asText()).isEqualTo("localhost:" + port);
            assertThat(servers.get(1).get("resolvedAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(servers.get(1).get("resolvedAt").asText()).endsWith("Z");
            assertThat(servers.get(1).get("resolveError").isNull()).isTrue();
            String cluster = http.send(HttpRequest.newBuilder(URI.create(base + "/status/cluster"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(cluster).contains("\"mode\":\"standalone\"", "\"node\":\"admin-node\"");
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/status/metrics"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("rate1m");
        } finally {
            backend.close();
        }
    }
}
