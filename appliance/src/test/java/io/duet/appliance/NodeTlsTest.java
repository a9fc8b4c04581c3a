package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.FixedResponse;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.TlsCertificate;
import io.duet.config.VirtualHost;
import io.duet.testkit.tls.TrustOnly;
import io.duet.tls.CertifiedKey;
import io.duet.tls.SelfSigned;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node's TLS material: the data key, the self-signed certificate at first start, keys sealed on commit. */
@Tag("needs-dataplane")
class NodeTlsTest {
    @TempDir
    Path dataDir;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    private Node start() throws StartupException {
        Map<String, String> env = new HashMap<>(Map.of(
                "DUET_NODE_ID", "tls-node",
                "DUET_DATA_DIR", dataDir.toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", "1"));
        Node node = Node.start(BootstrapReader.read(null, dataDir.resolve("absent.properties"), env), false);
        nodes.add(node);
        return node;
    }

    // First start: the data key (0600 in a 0700 directory) and a self-signed ECDSA certificate for the node's
    // names; the welcome document's https listener serves it, and the welcome page answers over TLS.
    @Test
    void firstStartServesHttpsWithTheSelfSignedCertificate() throws Exception {
        Node node = start();
        Path key = dataDir.resolve("keys/data.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
                .isEqualTo("rwx------");
        X509Certificate own = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                Files.newInputStream(dataDir.resolve("tls/self-signed.pem")));
        List<Object> sans = new ArrayList<>();
        own.getSubjectAlternativeNames().forEach(l -> sans.add(l.get(1)));
        assertThat(sans).contains("tls-node", "localhost", "127.0.0.1");
        assertThat(Files.readString(dataDir.resolve("tls/self-signed.key"))).startsWith("duet-sealed:v1:");

        InetSocketAddress https = node.listenerAddress(EmbeddedDocuments.TLS_LISTENER);
        Exchange r = get(https, "localhost", TrustOnly.context(own));
        assertThat(r.leaf()).isEqualTo(own);
        assertThat(r.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(r.response()).startsWith("HTTP/1.1 200").contains("Duet is running on node tls-node");

        // A restart loads the same certificate (same data key): nothing is issued again.
        node.close();
        Node again = start();
        assertThat(get(again.listenerAddress(EmbeddedDocuments.TLS_LISTENER), "localhost", TrustOnly.context(own)).leaf())
                .isEqualTo(own);
    }

    // A certificate whose key is written in clear into the document is served, and the node commits a revision
    // where the key is sealed: the file on disk then holds no private key; a restart serves it from the sealed form.
    @Test
    void clearKeysAreSealedOnCommit() throws Exception {
        CertifiedKey site = SelfSigned.issue(List.of("www.site.test"), Duration.ofDays(30), Clock.systemUTC());
        String chain = io.duet.tls.Pem.certificates(site.chain());
        String clearKey = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(site.key().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dataDir.resolve("config.json");
        Route hello = new Route("hello", RouteMatch.any(), null, null, new FixedResponse(200, "site\n", null),
                null, null, null, null, null, null, null);
        DuetConfig doc = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of("site"), null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of("www.site.test"), true, List.of(hello))), List.of(),
                List.of(new TlsCertificate("site", chain, clearKey)));
        Files.createDirectories(dataDir);
        Files.writeString(file, ConfigCodec.encode(doc, ConfigCodec.Format.JSON));

        Node node = start();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(Files.readString(file)).contains("duet-sealed:v1:").doesNotContain("PRIVATE KEY"));
        InetSocketAddress web = node.listenerAddress("web");
        Exchange r = get(web, "www.site.test", TrustOnly.context(site.leaf()));
        assertThat(r.leaf()).isEqualTo(site.leaf());
        assertThat(r.response()).startsWith("HTTP/1.1 200").endsWith("site\n");

        node.close();
        Node again = start();
        assertThat(get(again.listenerAddress("web"), "www.site.test", TrustOnly.context(site.leaf())).leaf())
                .isEqualTo(site.leaf());
    }

    record Exchange(X509Certificate leaf, String response) {
    }

    /** One HTTP/1.1 GET over TLS with SNI {@code host}; the served leaf and the whole response. */
    static Exchange get(InetSocketAddress a, String host, SSLContext ctx) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Exchange((X509Certificate) s.getSession().getPeerCertificates()[0], response);
        }
    }
}
