package io.duet.proxy.tls;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.TlsCertificate;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.Commands;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TestPki;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import io.duet.tls.KeyVault;
import io.duet.tls.NodeCertificate;
import io.duet.tls.SelfSigned;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a listener's certificate comes from: sealed keys, encrypted keys, PKCS#12, the node's self-signed one. */
class TlsCertificateSourcesTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TlsCertificate www;
    static KeyVault vault;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.create(tmp);
        www = TestCertificates.issue(pki, "www", "rsa", 2, "DNS:www.a.test");
        vault = KeyVault.open(tmp.resolve("keys"));
        backend = StubBackend.start("b1");
    }

    static StubBackend backend;

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static DuetConfig config(long revision, List<String> names, TlsCertificate... certs) {
        return new DuetConfig(revision, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(names, null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of("www.a.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of(certs));
    }

    /** The CN of the leaf served for this SNI name to a client trusting the test CA. */
    private static String served(int port, String sni) throws Exception {
        SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        try (s) {
            s.setSoTimeout(10_000);
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new javax.net.ssl.SNIHostName(sni)));
            s.setSSLParameters(p);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static DataPlane start(DuetConfig c, KeyVault keys, CertifiedKey node) {
        assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
        return DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1, new MetricRegistry(),
                "duet-test", keys, node));
    }

    // A key sealed with the node's data key is opened and served; without the data key the revision is refused.
    @Test
    void sealedKey() throws Exception {
        PrivateKeyHolder k = new PrivateKeyHolder(CertificateImport.readPrivateKey(www.privateKey(), null));
        TlsCertificate sealed = new TlsCertificate("www", www.certificateChain(), vault.seal(k.key()));
        assertThat(sealed.privateKey()).startsWith("duet-sealed:v1:").doesNotContain("PRIVATE KEY");
        try (DataPlane dp = start(config(1, List.of("www"), sealed), vault, null)) {
            assertThat(served(dp.address("web").getPort(), "www.a.test"))
                    .isEqualTo("CN=www");
        }
        assertThatThrownBy(() -> start(config(1, List.of("www"), sealed), null, null))
                .hasMessageContaining("DUET-PROXY-0130 certificate 'www': the key is sealed and this data plane "
                        + "has no data key");
        KeyVault other = KeyVault.open(tmp.resolve("other-keys"));
        assertThatThrownBy(() -> start(config(1, List.of("www"), sealed), other, null))
                .hasMessageContaining("DUET-TLS-0020");
    }

    private record PrivateKeyHolder(java.security.PrivateKey key) {
    }

    // An encrypted PKCS#8 key with its passphrase, and a PKCS#12 file, both serve the same certificate.
    @Test
    void encryptedKeyAndPkcs12() throws Exception {
        Path key = tmp.resolve("www-plain.key");
        Files.writeString(key, www.privateKey());
        Files.writeString(tmp.resolve("www-plain.pem"), www.certificateChain());
        Commands.run(pki.dir(), List.of("openssl", "pkcs8", "-topk8", "-in", key.toString(), "-v2", "aes-256-cbc", "-passout",
                "pass:pw-1", "-out", "www-enc.key"));
        Commands.run(pki.dir(), List.of("openssl", "pkcs12", "-export", "-inkey", key.toString(), "-in", "www-plain.pem",
                "-passout", "pass:pw-2", "-out", "www.p12"));
        TlsCertificate encrypted = new TlsCertificate("www", www.certificateChain(),
                Files.readString(tmp.resolve("www-enc.key")), "pw-1", null);
        TlsCertificate p12 = new TlsCertificate("www", null, null, "pw-2",
                Base64.getEncoder().encodeToString(Files.readAllBytes(tmp.resolve("www.p12"))));
        for (TlsCertificate c : List.of(encrypted, p12)) {
            try (DataPlane dp = start(config(1, List.of("www"), c), vault, null)) {
                assertThat(served(dp.address("web").getPort(), "www.a.test"))
                        .isEqualTo("CN=www");
            }
        }
        TlsCertificate wrong = new TlsCertificate("www", www.certificateChain(), encrypted.privateKey(), "nope",
                null);
        assertThatThrownBy(() -> start(config(1, List.of("www"), wrong), vault, null))
                .hasMessageContaining("DUET-PROXY-0130 certificate 'www': DUET-TLS-0005");
    }

    // A listener that names no certificate serves the node's self-signed ECDSA certificate; naming one replaces
    // it on the same socket.
    @Test
    void selfSignedUntilAReal() throws Exception {
        CertifiedKey node = NodeCertificate.loadOrIssue(tmp.resolve("tls"), vault,
                List.of("node-a.test", "localhost", "127.0.0.1"), Clock.systemUTC());
        try (DataPlane dp = start(config(1, List.of()), vault, node)) {
            int port = dp.address("web").getPort();
            X509Certificate served = leafTrusting(port, node.leaf());
            assertThat(served).isEqualTo(node.leaf());
            assertThat(served.getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(served.getSubjectX500Principal().getName()).contains("O=Duet self-signed");
            dp.apply(config(2, List.of("www"), www));
            assertThat(dp.address("web").getPort()).isEqualTo(port);
            assertThat(served(port, "www.a.test")).isEqualTo("CN=www");
        }
        // Without a node certificate (tools, tests) one is issued in memory.
        try (DataPlane dp = start(config(1, List.of()), null, null)) {
            X509Certificate served = leafTrustingAnything(dp.address("web").getPort());
            assertThat(served.getSubjectX500Principal().getName()).contains("CN=duet-test");
        }
    }

    // Expiry warnings: once per threshold (30, 14, 7 days), then once when expired; a renewed certificate starts
    // over.
    @Test
    void expiryWarnings() throws Exception {
        CertifiedKey c = SelfSigned.issue(List.of("exp.test"), Duration.ofDays(40), Clock.systemUTC());
        LoadedCertificate lc = CertificateLoader.of("exp", c);
        Instant end = c.notAfter();
        MutableClock clock = new MutableClock(end.minus(Duration.ofDays(35)));
        CertificateExpiry expiry = new CertificateExpiry(clock);
        try (expiry) {
            expiry.watch(List.of(lc));
            assertThat(expiry.check()).isEmpty();
            clock.now = end.minus(Duration.ofDays(29));
            assertThat(expiry.check()).singleElement().asString().startsWith("DUET-PROXY-0131 certificate 'exp'")
                    .contains("(29 days, under 30)");
            assertThat(expiry.check()).isEmpty();
            clock.now = end.minus(Duration.ofDays(10));
            assertThat(expiry.check()).singleElement().asString().contains("under 14");
            clock.now = end.minus(Duration.ofDays(3));
            assertThat(expiry.check()).singleElement().asString().contains("under 7");
            assertThat(expiry.check()).isEmpty();
            clock.now = end.plusSeconds(1);
            assertThat(expiry.check()).singleElement().asString().startsWith("DUET-PROXY-0151");
            CertifiedKey renewed = SelfSigned.issue(List.of("exp.test"), Duration.ofDays(20), clock);
            expiry.watch(List.of(CertificateLoader.of("exp", renewed)));
            assertThat(expiry.check()).isEmpty(); // the warning of watch() itself was the first
        }
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static X509Certificate leafTrusting(int port, X509Certificate trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("node", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate leafTrustingAnything(int port) throws Exception {
        SSLContext ctx = io.duet.testkit.tls.TrustAll.context();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }
}
