package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.appliance.pair.ClusterDuties;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.raft.ClusterNode;
import io.duet.config.DuetConfig;
import io.duet.config.FixedResponse;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.VirtualHost;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.tls.TrustOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two full nodes and a witness in cluster mode (one JVM, loopback): the document is seeded once, a change made on
 * one node is served by the other (the propagation time is printed), and a stale edit is refused.
 */
@Tag("needs-dataplane")
class ClusterModeTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private final Map<String, String> joinPorts = new HashMap<>();

    private Map<String, String> env(String id, String members) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "DUET_NODE_ID", id,
                "DUET_DATA_DIR", dir.resolve(id).toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_IO_THREADS", "1",
                "DUET_CLUSTER_MEMBERS", members));
        env.put("DUET_ADMIN_PORT", "0");
        env.put("DUET_CLUSTER_JOIN_PORT", joinPorts.computeIfAbsent(id, k -> {
            try {
                return String.valueOf(freePort());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        return env;
    }

    private NodeBootstrap bootstrap(String id, String members) throws Exception {
        return BootstrapReader.read(null, dir.resolve("absent.properties"), env(id, members));
    }

    /** Runs a CLI command as node {@code id}; its exit code and output. */
    private Cli cli(String id, String members, String... args) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine c = Main.commandLine(env(id, members), dir.resolve("absent.properties"));
        c.setOut(new java.io.PrintWriter(out, true));
        c.setErr(new java.io.PrintWriter(err, true));
        int code = c.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    record Cli(int code, String out, String err) {
    }

    private static DuetConfig withBody(DuetConfig c, String body) {
        Route r = new Route("welcome", RouteMatch.any(), null, null, new FixedResponse(200, body, null),
                null, null, null, null, null, null, null);
        return new DuetConfig(c.revision(), c.listeners(), c.limits(), c.forwarding(), c.accessLog(),
                List.of(new VirtualHost("default", List.of("localhost"), true, List.of(r))), c.pools(),
                c.certificates(), c.vips(), c.admin());
    }

    @Test
    void changeOnOneNodeIsServedByTheOther() throws Exception {
        String members = "a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort() + ",w=127.0.0.1:" + freePort();
        // Set up as an operator does: init on a, start a, join b and the witness with the printed tokens.
        Cli init = cli("a", members, "cluster", "init");
        assertThat(init.code()).as(init.err()).isZero();
        Node a = Node.start(bootstrap("a", members), false);
        open.add(a);
        Cli joinB = cli("b", members, "cluster", "join", "--token", InitOutput.tokenFor(init.out(), "b"));
        assertThat(joinB.code()).as(joinB.err()).isZero();
        Cli joinW = cli("w", members, "cluster", "join", "--witness", "--token",
                InitOutput.tokenFor(init.out(), "w"));
        assertThat(joinW.code()).as(joinW.err()).isZero();
        NodeBootstrap wb = bootstrap("w", members);
        ClusterNode witness = ClusterDuties.startMember(wb, ClusterIdentity.load(wb.site(), ClusterIdentity.vault(wb.site())));
        open.add(witness);
        Node b = Node.start(bootstrap("b", members), false);
        open.add(b);
        // Started: the document seeded, and the first admin user created by one of the nodes (a commit of its own,
        // which must not land in the middle of the revision counting below).
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.store().current().admin().users().isEmpty()
                && !b.store().current().admin().users().isEmpty());
        InetSocketAddress bHttp = b.listenerAddress(EmbeddedDocuments.LISTENER);
        // The welcome page is in the replicated document: it names the cluster, not the node that seeded it (b
        // served "running on node a" before).
        assertThat(RawHttp.get(bHttp, "localhost", "/").body()).contains("Duet is running on the cluster [a, b, w]")
                .doesNotContain("on node");

        List<Long> delays = new ArrayList<>();
        int conflicts = 0;
        for (int i = 1; i <= 5; i++) {
            String body = "change " + i + "\n";
            long t0 = System.nanoTime();
            while (true) { // an operator's edit: on a conflict, reload and apply it again
                DuetConfig cur = a.store().current();
                try {
                    a.store().propose(withBody(cur, body), cur.revision());
                    break;
                } catch (io.duet.config.store.RevisionConflictException e) {
                    conflicts++;
                    assertThat(conflicts).as("conflicts without another writer").isLessThan(3);
                }
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> RawHttp.get(bHttp, "localhost", "/").body().equals(body));
            delays.add((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("a change made on node a served by node b after (ms): " + delays + ", conflicts "
                + conflicts);
        assertThat(delays).allMatch(ms -> ms < 1000);

        // The CLI of an operator on node a: export, edit, import; node b serves the imported revision.
        Map<String, String> env = new HashMap<>(Map.of("DUET_NODE_ID", "a", "DUET_DATA_DIR",
                dir.resolve("a").toString(), "DUET_CLUSTER_MEMBERS", members));
        java.io.StringWriter exported = new java.io.StringWriter();
        picocli.CommandLine cli = Main.commandLine(env, dir.resolve("absent.properties"));
        cli.setOut(new java.io.PrintWriter(exported, true));
        assertThat(cli.execute("config", "export")).isZero();
        DuetConfig fromCluster = io.duet.config.ConfigCodec.decode(exported.toString(),
                io.duet.config.ConfigCodec.Format.JSON);
        assertThat(fromCluster.revision()).isEqualTo(a.store().current().revision());
        assertThat(a.store().current().admin().users()).as("the cluster has users").isNotEmpty();
        assertThat(fromCluster.admin().users()).as("no users in an export").isEmpty();
        assertThat(exported.toString()).as("no password hash in an export").doesNotContain("$argon2id");
        Path edited = dir.resolve("edited.json");
        java.nio.file.Files.writeString(edited, io.duet.config.ConfigCodec.encode(withBody(fromCluster, "imported\n"),
                io.duet.config.ConfigCodec.Format.JSON));
        java.io.StringWriter imported = new java.io.StringWriter();
        picocli.CommandLine cli2 = Main.commandLine(env, dir.resolve("absent.properties"));
        cli2.setOut(new java.io.PrintWriter(imported, true));
        assertThat(cli2.execute("config", "import", edited.toString())).isZero();
        assertThat(imported.toString()).contains("imported as revision " + (fromCluster.revision() + 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> RawHttp.get(bHttp, "localhost", "/").body()
                .equals("imported\n"));

        // duet cluster status on node a: three members, one leader, the revision, heartbeats of both proxies.
        java.io.StringWriter status = new java.io.StringWriter();
        picocli.CommandLine cli3 = Main.commandLine(env, dir.resolve("absent.properties"));
        cli3.setOut(new java.io.PrintWriter(status, true));
        assertThat(cli3.execute("cluster", "status")).isZero();
        System.out.println(status);
        assertThat(status.toString()).contains("cluster of 3 voters", "LEADER", "FOLLOWER",
                "revision " + a.store().current().revision()).containsPattern("heartbeat a +\\d+ ms ago")
                .containsPattern("heartbeat b +\\d+ ms ago");

        // duet cluster handoff (and --undo): committed; status lists the handed-off node in between.
        picocli.CommandLine cli4 = Main.commandLine(env, dir.resolve("absent.properties"));
        cli4.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertThat(cli4.execute("cluster", "handoff")).isZero();
        java.io.StringWriter during = new java.io.StringWriter();
        picocli.CommandLine cli5 = Main.commandLine(env, dir.resolve("absent.properties"));
        cli5.setOut(new java.io.PrintWriter(during, true));
        assertThat(cli5.execute("cluster", "status")).isZero();
        assertThat(during.toString()).contains("handed off (holding no VIPs): [a]");
        assertThat(Main.commandLine(env, dir.resolve("absent.properties")).execute("cluster", "handoff", "--undo"))
                .isZero();

        // Cluster metrics on the management endpoint: one leader among the two proxies (or the witness), the same
        // revision on both, heartbeat ages of both proxies, nothing held without an interface.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String ma = RawHttp.get(a.managementAddress(), "localhost", "/metrics").body();
            String mb = RawHttp.get(b.managementAddress(), "localhost", "/metrics").body();
            long revision = a.store().current().revision();
            for (String m : List.of(ma, mb)) {
                assertThat(m).contains("duet_cluster_revision " + revision, "duet_cluster_voters 3",
                        "duet_cluster_vips_held 0", "duet_cluster_fenced 0")
                        .containsPattern("duet_cluster_term \\d+").containsPattern("duet_cluster_applied_index \\d+")
                        .containsPattern("duet_cluster_heartbeat_age_seconds\\{node=\"a\"\\} 0\\.\\d+")
                        .containsPattern("duet_cluster_heartbeat_age_seconds\\{node=\"b\"\\} 0\\.\\d+");
            }
            assertThat(ma.contains("duet_cluster_leader 1") && mb.contains("duet_cluster_leader 1")).isFalse();
        });

        // A certificate whose key is given in clear on node a: the cluster commits it sealed under the data key
        // both proxies share since b joined, and node b serves it.
        io.duet.tls.CertifiedKey site = io.duet.tls.SelfSigned.issue(List.of("www.site.test"), Duration.ofDays(30),
                java.time.Clock.systemUTC());
        String clearKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(site.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        DuetConfig base = a.store().current();
        List<io.duet.config.Listener> listeners = new ArrayList<>(base.listeners());
        listeners.add(new io.duet.config.Listener("site", "127.0.0.1", 0, "https", null,
                new io.duet.config.ListenerTls(List.of("site"), null, null, null, null)));
        a.store().propose(new DuetConfig(base.revision(), listeners, base.limits(), base.forwarding(),
                base.accessLog(), base.virtualHosts(), base.pools(),
                List.of(new io.duet.config.TlsCertificate("site", io.duet.tls.Pem.certificates(site.chain()),
                        clearKey)), base.vips(), base.admin()), base.revision());
        await().atMost(Duration.ofSeconds(15)).until(() -> !b.store().current().certificates().isEmpty()
                && io.duet.tls.KeyVault.isSealed(b.store().current().certificates().get(0).privateKey()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(NodeTlsTest.get(
                b.listenerAddress("site"), "www.site.test", TrustOnly.context(site.leaf())).leaf())
                .isEqualTo(site.leaf()));

        // The admin API of both nodes: one first admin for the cluster (created by whichever node won), a login on
        // node b works with it, a handoff through b's API is committed, and a change through b is served by a.
        Path pwA = dir.resolve("a").resolve("admin-password");
        Path pwB = dir.resolve("b").resolve("admin-password");
        await().atMost(Duration.ofSeconds(15)).until(() -> java.nio.file.Files.exists(pwA)
                || java.nio.file.Files.exists(pwB));
        assertThat(java.nio.file.Files.exists(pwA) && java.nio.file.Files.exists(pwB)).as("one creator").isFalse();
        String first = java.nio.file.Files.readAllLines(java.nio.file.Files.exists(pwA) ? pwA : pwB).get(1);
        assertThat(a.store().current().admin().users()).hasSize(1);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .sslContext(TrustOnly.context(io.duet.tls.CertificateImport.readCertificates(
                        java.nio.file.Files.readString(dir.resolve("b").resolve("tls").resolve("self-signed.pem")))
                        .get(0))).build();
        String baseB = "https://127.0.0.1:" + b.adminAddress().getPort() + "/api/v1";
        java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/session")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"admin\",\"password\":\"" + first + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String csrf = json.readTree(login.body()).get("csrfToken").asText();
        java.net.http.HttpResponse<String> changed = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/session/password")).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"current\":\"" + first
                        + "\",\"new\":\"cluster-admin-password\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
        String cookie2 = changed.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf2 = json.readTree(changed.body()).get("csrfToken").asText();
        java.net.http.HttpResponse<String> handoff = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/cluster/handoff")).header("Cookie", cookie2).header("X-CSRF-Token", csrf2)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"node\":\"a\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(handoff.statusCode()).as(handoff.body()).isEqualTo(200);
        java.net.http.HttpResponse<String> undo = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/cluster/handoff")).header("Cookie", cookie2).header("X-CSRF-Token", csrf2)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"node\":\"a\",\"undo\":true}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(undo.statusCode()).isEqualTo(200);
        String clusterView = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseB
                + "/status/cluster")).header("Cookie", cookie2).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(clusterView).contains("\"mode\":\"cluster\"", "\"members\":[\"a\",\"b\",\"w\"]");
        java.net.http.HttpResponse<String> limits = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/limits")).header("Cookie", cookie2).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.node.ObjectNode l =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(limits.body());
        l.put("maxHeaderCount", 77);
        java.net.http.HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseB + "/limits")).header("Cookie", cookie2).header("X-CSRF-Token", csrf2)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(l.toString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.store().current().limits().maxHeaderCount() == 77);
        assertThat(a.store().commits().get(0).author()).startsWith("admin@b");

        // The audit trail is kept with the configuration: a failed login on node a shows in node b's audit log,
        // next to b's own login, handoff and commit records.
        java.net.http.HttpClient httpA = java.net.http.HttpClient.newBuilder()
                .sslContext(TrustOnly.context(io.duet.tls.CertificateImport.readCertificates(
                        java.nio.file.Files.readString(dir.resolve("a").resolve("tls").resolve("self-signed.pem")))
                        .get(0))).build();
        java.net.http.HttpResponse<String> wrong = httpA.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://127.0.0.1:" + a.adminAddress().getPort() + "/api/v1/session"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"mallory\",\"password\":\"guess\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            com.fasterxml.jackson.databind.JsonNode trail = json.readTree(http.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseB + "/audit")).header("Cookie", cookie2).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            List<String> seen = new ArrayList<>();
            trail.forEach(r -> seen.add(r.path("node").asText() + " " + r.path("user").asText() + " "
                    + r.path("action").asText() + " " + r.path("outcome").asText()));
            assertThat(seen).contains("a mallory login failed", "b admin login ok", "b admin handoff ok",
                    "b admin commit ok");
            trail.forEach(r -> assertThat(r.path("pending").asBoolean(false)).as(r.toString()).isFalse());
        });

        DuetConfig stale = a.store().current();
        a.store().propose(withBody(stale, "winner\n"), stale.revision());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.store().propose(withBody(stale, "loser\n"),
                stale.revision())).isInstanceOf(io.duet.config.store.RevisionConflictException.class);
    }
}
