package io.duet.appliance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
        Map<String, String> env = new HashMap<>(Map.of(
                "DUET_NODE_ID", "admin-node",
                "DUET_DATA_DIR", dataDir.toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_ADMIN_ADDRESS", "127.0.0.1",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", "1"));
        Node node = Node.start(BootstrapReader.read(null, dataDir.resolve("absent.properties"), env), false);
        nodes.add(node);
        return node;
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

        X509Certificate nodeCert = io.duet.tls.CertificateImport.readCertificates(
                Files.readString(dataDir.resolve("tls").resolve("self-signed.pem"))).get(0);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("node", nodeCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ctx).build();
        String base = "https://127.0.0.1:" + node.adminAddress().getPort() + "/api/v1";
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("\"mustChangePassword\":true");

        node.close();
        Node again = start();
        assertThat(again.store().current().revision()).as("no second admin at the next start").isEqualTo(revision);
        assertThat(again.store().current().admin().users()).hasSize(1);
    }
}
