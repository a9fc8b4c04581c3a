package io.duet.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.node.Node;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.TlsCertificate;
import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;
import io.duet.testkit.tls.TrustOnly;
import io.duet.tls.CertificateImport;
import io.duet.tls.KeyVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates are checked before a revision is committed, on a running pair (two nodes and a witness, one JVM):
 * material the data plane would refuse is refused through the admin API (422 with each finding's path and id) and
 * through {@code duet config import} (exit 1, the findings printed), and the revision stays the same on both nodes.
 * A chain given out of order is accepted, stored and served leaf first.
 */
@Tag("needs-dataplane")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateProposalPairTest {
    private static final String HOST = "www.site.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir; // static: made before @BeforeAll starts the pair
    private final List<AutoCloseable> open = new ArrayList<>();
    private LocalPair pair;
    private Node a;
    private Node b;
    private HttpClient http;
    private String api;
    private String cookie;
    private String csrf;
    private TestPki root;
    private TestPki inter;

    @BeforeAll
    void startPair() throws Exception {
        pair = LocalPair.start(dir);
        open.add(pair);
        a = pair.a();
        b = pair.b();
        logIn();
        root = TestPki.root("Duet Pair Test Root");
        inter = root.intermediate("Duet Pair Test Intermediate");
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    // The key of another certificate: refused, privateKey named with DUET-TLS-0006.
    @Test
    void mismatchedKeyIsRefused() throws Exception {
        Issued site = inter.leaf(HOST);
        Issued other = inter.leaf("other.site.test");
        refusedEverywhere(new TlsCertificate("site", Issued.pem(site, inter.ca()), Issued.clearKey(other.key())),
                "$.certificates[0].privateKey", "DUET-TLS-0006");
    }

    // A certificate that expired yesterday: refused, certificateChain named with DUET-TLS-0008.
    @Test
    void expiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Issued site = inter.leaf(HOST, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        refusedEverywhere(new TlsCertificate("site", Issued.pem(site, inter.ca()), Issued.clearKey(site.key())),
                "$.certificates[0].certificateChain", "DUET-TLS-0008");
    }

    // An intermediate of the right name but another key (not the one that signed the leaf): DUET-TLS-0007.
    @Test
    void foreignIntermediateIsRefused() throws Exception {
        Issued site = inter.leaf(HOST);
        TestPki foreign = root.intermediate("Duet Pair Test Intermediate");
        refusedEverywhere(new TlsCertificate("site", Issued.pem(site, foreign.ca()), Issued.clearKey(site.key())),
                "$.certificates[0].certificateChain", "DUET-TLS-0007");
    }

    // An encrypted key with the wrong passphrase: refused, passphrase named with DUET-TLS-0005.
    @Test
    void wrongPassphraseIsRefused() throws Exception {
        Issued site = inter.leaf(HOST);
        refusedEverywhere(new TlsCertificate("site", Issued.pem(site, inter.ca()),
                Issued.encryptedKey(site.key(), "the right one"), "a wrong one", null),
                "$.certificates[0].passphrase", "DUET-TLS-0005");
    }

    // A key sealed under another cluster's data key, which these nodes cannot open: DUET-TLS-0020.
    @Test
    void keySealedUnderAnotherDataKeyIsRefused() throws Exception {
        Issued site = inter.leaf(HOST);
        KeyVault elsewhere = KeyVault.open(dir.resolve("elsewhere"));
        refusedEverywhere(new TlsCertificate("site", Issued.pem(site, inter.ca()), elsewhere.seal(site.key())),
                "$.certificates[0].privateKey", "DUET-TLS-0020");
    }

    // A chain given intermediate first is accepted through the API (the dry run notes DUET-TLS-0018) and through
    // config import; the revision that seals its key stores it leaf first on both nodes, and node b serves it leaf
    // first.
    @Test
    void chainOutOfOrderIsAcceptedAndServedLeafFirst() throws Exception {
        Issued site = inter.leaf(HOST);
        TlsCertificate reversed = new TlsCertificate("site", Issued.pem(inter.ca(), site),
                Issued.clearKey(site.key()));
        long before = settledRevision();
        DuetConfig proposed = withCertificate(a.store().current(), reversed);
        HttpResponse<String> dryRun = send(HttpRequest.newBuilder(URI.create(api + "/config/validate"))
                .POST(HttpRequest.BodyPublishers.ofString(ConfigCodec.encode(proposed, ConfigCodec.Format.JSON))));
        JsonNode dry = JSON.readTree(dryRun.body());
        assertThat(dry.get("valid").asBoolean()).as(dryRun.body()).isTrue();
        List<String> notes = new ArrayList<>();
        dry.get("violations").forEach(v -> notes.add(v.path("id").asText() + " " + v.path("path").asText() + " "
                + v.path("severity").asText()));
        assertThat(notes).contains("DUET-TLS-0018 $.certificates[0].certificateChain WARNING");
        HttpResponse<String> put = putConfig(proposed, before);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        awaitSealedLeafFirst(site);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(served(b, root.ca().certificate()))
                .containsExactly(site.certificate(), inter.ca().certificate()));

        Issued renewed = inter.leaf(HOST);
        LocalPair.Cli imported = importDocument(withCertificate(a.store().current(), new TlsCertificate("site",
                Issued.pem(inter.ca(), renewed), Issued.clearKey(renewed.key()))));
        assertThat(imported.code()).as(imported.out() + imported.err()).isZero();
        awaitSealedLeafFirst(renewed);
    }

    /**
     * The certificate, named by a new https listener, is refused by a PUT of the document on node a and by
     * {@code duet config import} on node a; the dry run says why; neither node's revision moves.
     */
    private void refusedEverywhere(TlsCertificate bad, String path, String id) throws Exception {
        long before = settledRevision();
        DuetConfig proposed = withCertificate(a.store().current(), bad);

        HttpResponse<String> dryRun = send(HttpRequest.newBuilder(URI.create(api + "/config/validate"))
                .POST(HttpRequest.BodyPublishers.ofString(ConfigCodec.encode(proposed, ConfigCodec.Format.JSON))));
        assertThat(dryRun.statusCode()).isEqualTo(200);
        JsonNode dry = JSON.readTree(dryRun.body());
        assertThat(dry.get("valid").asBoolean()).isFalse();
        assertThat(errors(dry.get("violations"))).contains(id + " " + path);

        HttpResponse<String> put = putConfig(proposed, before);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(422);
        JsonNode refused = JSON.readTree(put.body());
        assertThat(refused.get("id").asText()).isEqualTo("DUET-ADMIN-0121");
        assertThat(errors(refused.get("violations"))).contains(id + " " + path);
        assertUnchanged(before);

        LocalPair.Cli imported = importDocument(proposed);
        assertThat(imported.code()).as(imported.out() + imported.err()).isEqualTo(ExitCodes.INVALID_DOCUMENT);
        assertThat(imported.out()).contains(id + " " + path + ": ").contains("invalid, nothing imported");
        assertUnchanged(before);
    }

    private static List<String> errors(JsonNode violations) {
        List<String> out = new ArrayList<>();
        violations.forEach(v -> {
            if ("ERROR".equals(v.path("severity").asText())) {
                out.add(v.path("id").asText() + " " + v.path("path").asText());
            }
        });
        return out;
    }

    /** Both nodes still serve {@code revision}, and the cluster's history has nothing newer. */
    private void assertUnchanged(long revision) {
        assertThat(a.store().current().revision()).isEqualTo(revision);
        assertThat(b.store().current().revision()).isEqualTo(revision);
        assertThat(a.store().commits().get(0).config().revision()).isEqualTo(revision);
    }

    /** The revision both nodes serve once neither has a commit of its own in flight (first admin, sealing). */
    private long settledRevision() {
        await().atMost(Duration.ofSeconds(15)).until(() -> a.store().current().revision()
                == b.store().current().revision() && a.store().current().certificates().stream()
                .allMatch(TlsCertificate::sealed));
        return a.store().current().revision();
    }

    private void awaitSealedLeafFirst(Issued leaf) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (Node n : List.of(a, b)) {
                TlsCertificate stored = n.store().current().certificate("site");
                assertThat(stored.sealed()).isTrue();
                assertThat(CertificateImport.readCertificates(stored.certificateChain()))
                        .containsExactly(leaf.certificate(), inter.ca().certificate());
            }
        });
    }

    /** The document with an https listener {@code site} (any free port) naming {@code c}, its only certificate. */
    private static DuetConfig withCertificate(DuetConfig cur, TlsCertificate c) {
        List<Listener> listeners = new ArrayList<>();
        for (Listener l : cur.listeners()) {
            if (!l.name().equals("site")) {
                listeners.add(l);
            }
        }
        listeners.add(new Listener("site", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of("site"), null, null, null, null)));
        return new DuetConfig(cur.revision(), listeners, cur.limits(), cur.forwarding(), cur.accessLog(),
                cur.virtualHosts(), cur.pools(), List.of(c), cur.vips(), cur.admin());
    }

    // ---- the admin API of node a

    private void logIn() throws Exception {
        Path pwA = dir.resolve("a").resolve("admin-password");
        Path pwB = dir.resolve("b").resolve("admin-password");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(pwA) || Files.exists(pwB));
        String first = Files.readAllLines(Files.exists(pwA) ? pwA : pwB).get(1);
        http = HttpClient.newBuilder().sslContext(TrustOnly.context(CertificateImport.readCertificates(
                Files.readString(dir.resolve("a").resolve("tls").resolve("self-signed.pem"))).get(0))).build();
        api = "https://127.0.0.1:" + a.adminAddress().getPort() + "/api/v1";
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(api + "/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"admin\",\"password\":\"" + first + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        csrf = JSON.readTree(login.body()).get("csrfToken").asText();
        HttpResponse<String> changed = send(HttpRequest.newBuilder(URI.create(api + "/session/password"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"current\":\"" + first
                        + "\",\"new\":\"pair-admin-password\"}")));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        cookie = changed.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        csrf = JSON.readTree(changed.body()).get("csrfToken").asText();
    }

    private HttpResponse<String> putConfig(DuetConfig doc, long base) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api + "/config")).header("If-Match", "\"" + base + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(ConfigCodec.encode(doc, ConfigCodec.Format.JSON))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- the CLI of node a

    private LocalPair.Cli importDocument(DuetConfig doc) throws Exception {
        Path file = Files.createTempFile(dir, "import-", ".json");
        Files.writeString(file, ConfigCodec.encode(doc, ConfigCodec.Format.JSON));
        return pair.cli("a", "config", "import", file.toString());
    }

    /** The chain node {@code n}'s https listener {@code site} serves for the test host, as the client receives it. */
    private static List<Certificate> served(Node n, X509Certificate trusted) throws Exception {
        SSLContext ctx = TrustOnly.context(trusted);
        InetSocketAddress address = n.listenerAddress("site");
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(HOST)));
            s.setSSLParameters(p);
            s.startHandshake();
            return List.of(s.getSession().getPeerCertificates());
        }
    }
}
