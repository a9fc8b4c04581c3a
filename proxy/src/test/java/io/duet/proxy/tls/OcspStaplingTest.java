package io.duet.proxy.tls;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
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
import io.duet.tls.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OCSP stapling against a local OCSP responder the test builds with Bouncy Castle: the listener staples "good",
 * "revoked" as it is, and fetches a fresh response before the cached one expires.
 */
class OcspStaplingTest {
    @TempDir
    Path tmp;
    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpServer responder;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile boolean revoked;
    private volatile long validityMs = 3_600_000;
    private KeyPair caKeys;
    private X509Certificate ca;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (responder != null) {
            responder.stop(0);
        }
    }

    /** The CA, an OCSP responder on loopback signing with the CA key, and a leaf whose AIA names the responder. */
    private TlsCertificate pkiWithResponder(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        caKeys = g.generateKeyPair();
        X500Name caName = new X500Name("CN=Duet OCSP Test CA");
        Date from = new Date(System.currentTimeMillis() - 3_600_000);
        Date to = new Date(System.currentTimeMillis() + 86_400_000);
        JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName,
                caKeys.getPublic());
        cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                | KeyUsage.digitalSignature));
        ca = new JcaX509CertificateConverter().getCertificate(cb.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        responder.createContext("/ocsp", exchange -> {
            byte[] request;
            if ("GET".equals(exchange.getRequestMethod())) {
                String path = exchange.getRequestURI().getRawPath();
                request = Base64.getDecoder().decode(java.net.URLDecoder.decode(
                        path.substring(path.indexOf("/ocsp/") + 6), "UTF-8"));
            } else {
                try (InputStream in = exchange.getRequestBody()) {
                    request = in.readAllBytes();
                }
            }
            byte[] answer;
            try {
                answer = answer(new OCSPReq(request));
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            hits.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        responder.start();
        String url = "http://127.0.0.1:" + responder.getAddress().getPort() + "/ocsp";

        KeyPair leafKeys = g.generateKeyPair();
        JcaX509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(1000 + hits.get()),
                from, to, new X500Name("CN=" + cn), leafKeys.getPublic());
        lb.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
        lb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        lb.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, url))));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(lb.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(leafKeys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(tmp.resolve("ca.pem"), Pem.certificates(List.of(ca)));
        // The issuer goes in the chain: the JDK staples only when it can name the leaf's issuer in the request.
        return new TlsCertificate(cn, Pem.certificates(List.of(leaf, ca)), key);
    }

    private byte[] answer(OCSPReq request) throws Exception {
        JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(caKeys.getPublic(),
                new JcaDigestCalculatorProviderBuilder().build().get(
                        org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
        Date now = new Date();
        for (Req r : request.getRequestList()) {
            CertificateStatus status = revoked
                    ? new RevokedStatus(new Date(now.getTime() - 60_000), CRLReason.keyCompromise)
                    : CertificateStatus.GOOD;
            b.addResponse(r.getCertID(), status, now, new Date(now.getTime() + validityMs), null);
        }
        BasicOCSPResp basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()),
                new X509CertificateHolder[]{new JcaX509CertificateHolder(ca)}, now);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private DataPlane start(TlsCertificate cert) {
        StubBackend backend = StubBackend.start("b1");
        open.add(backend);
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(cert.name()), null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of(cert.name()), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of(cert));
        DataPlane dp = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "ocsp"));
        open.add(dp);
        return dp;
    }

    /** A JDK client handshake asking for the certificate status; the single response stapled, or null. */
    private SingleResp stapled(int port, String sni) throws Exception {
        try (SSLSocket s = (SSLSocket) io.duet.testkit.tls.TrustAll.context().getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
            s.startHandshake();
            List<byte[]> responses = ((ExtendedSSLSession) s.getSession()).getStatusResponses();
            if (responses.isEmpty() || responses.get(0).length == 0) {
                return null;
            }
            OCSPResp resp = new OCSPResp(responses.get(0));
            assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
            return ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0];
        }
    }

    // A "good" response is stapled (the JDK client and openssl s_client -status both see it); the responder is
    // asked once, then the cached response is stapled.
    @Test
    void staplesAGoodResponse() throws Exception {
        TlsCertificate cert = pkiWithResponder("ocsp.test");
        int port = start(cert).address("web").getPort();
        SingleResp first = stapled(port, "ocsp.test");
        assertThat(first).isNotNull();
        assertThat(first.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(stapled(port, "ocsp.test").getThisUpdate()).isEqualTo(first.getThisUpdate());
        assertThat(hits.get()).isEqualTo(1);

        TestPki openssl = TestPki.create(Files.createDirectories(tmp.resolve("pki")));
        Commands.Result r = Commands.exec(openssl.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "ocsp.test", "-status"), "");
        assertThat(r.output()).contains("OCSP Response Status: successful").contains("Cert Status: good");
    }

    // A revoked certificate's response is stapled as revoked (the client decides what to do with it).
    @Test
    void staplesARevokedResponse() throws Exception {
        revoked = true;
        TlsCertificate cert = pkiWithResponder("revoked.test");
        int port = start(cert).address("web").getPort();
        SingleResp r = stapled(port, "revoked.test");
        assertThat(r.getCertStatus()).isInstanceOf(RevokedStatus.class);
    }

    // A response valid for 2 s is not stapled once expired: a new one is fetched, and every stapled response is
    // still valid when it is stapled.
    @Test
    void refreshesBeforeExpiry() throws Exception {
        validityMs = 2_000;
        TlsCertificate cert = pkiWithResponder("fresh.test");
        int port = start(cert).address("web").getPort();
        List<SingleResp> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Date started = new Date();
            SingleResp r = stapled(port, "fresh.test");
            assertThat(r).isNotNull();
            // Stapled during this handshake, so still valid when the handshake started.
            assertThat(r.getNextUpdate()).as("never stapled after it expired").isAfter(started);
            seen.add(r);
            return hits.get() >= 2;
        });
        assertThat(seen.stream().map(SingleResp::getThisUpdate).distinct()).hasSizeGreaterThanOrEqualTo(2);
    }
}
