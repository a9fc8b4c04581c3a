package io.duet.proxy.tls;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Hsts;
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
import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An https listener against real TLS clients: the JDK, curl and openssl s_client. */
class TlsListenerTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TlsCertificate www;
    static TlsCertificate wild;
    static TlsCertificate fallback;
    static StubBackend backend;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(tmp);
        www = TestCertificates.issue(pki, "www", "rsa", 2, "DNS:www.a.test");
        wild = TestCertificates.issue(pki, "wild", "ec", 2, "DNS:*.b.test");
        fallback = TestCertificates.issue(pki, "fallback", "ec", 3, "DNS:default.test", "IP:127.0.0.1");
        backend = StubBackend.start("b1");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    static DuetConfig config(long revision, ListenerTls tls, TlsCertificate... certs) {
        return new DuetConfig(revision,
                List.of(new Listener("web", "127.0.0.1", 0, "https", null, tls)), null, null, null,
                List.of(new VirtualHost("v", List.of("www.a.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of(certs));
    }

    static ListenerTls tls(String profile, boolean http2, String... names) {
        return new ListenerTls(List.of(names), "fallback", profile, http2, null);
    }

    static DataPlane start(DuetConfig c, MetricRegistry registry) {
        assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
        return DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1, registry, "duet-test"));
    }

    static DataPlane start(DuetConfig c) {
        return start(c, new MetricRegistry());
    }

    /** Handshakes with this SNI name (null: none) and returns the leaf the server presented. */
    static X509Certificate leaf(int port, String sni) throws Exception {
        try (SSLSocket s = handshake(port, sni)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    static SSLSocket handshake(int port, String sni) throws Exception {
        SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** One HTTP/1.1 request on an open TLS socket; the status code. */
    static int request(SSLSocket s, String host, boolean close) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("GET /x HTTP/1.1\r\nHost: " + host + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("connection closed after: " + head);
            }
            head.append((char) c);
        }
        String h = head.toString().toLowerCase();
        int i = h.indexOf("content-length: ");
        int len = Integer.parseInt(h.substring(i + 16, h.indexOf("\r\n", i)).trim());
        in.readNBytes(len);
        return Integer.parseInt(head.substring(9, 12));
    }

    static String cn(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    List<String> curl(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", "--cacert",
                pki.caFile().toString(), "--resolve", "www.a.test:" + port + ":127.0.0.1",
                "--resolve", "x.b.test:" + port + ":127.0.0.1"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    // SNI picks among three certificates: exact name, one-label wildcard, else the default (also without SNI).
    @Test
    void sniSelectsExactThenWildcardThenDefault() throws Exception {
        try (DataPlane dp = start(config(1, tls("intermediate", true, "www", "wild", "fallback"), www, wild, fallback))) {
            int port = dp.address("web").getPort();
            assertThat(cn(leaf(port, "www.a.test"))).isEqualTo("CN=www");
            assertThat(cn(leaf(port, "WWW.A.TEST"))).isEqualTo("CN=www");
            assertThat(cn(leaf(port, "x.b.test"))).isEqualTo("CN=wild");
            assertThat(cn(leaf(port, "deep.x.b.test"))).isEqualTo("CN=fallback"); // a wildcard covers one label
            assertThat(cn(leaf(port, "b.test"))).isEqualTo("CN=fallback");
            assertThat(cn(leaf(port, "unknown.test"))).isEqualTo("CN=fallback");
            assertThat(cn(leaf(port, null))).isEqualTo("CN=fallback");
            // openssl agrees (RSA and EC certificates on one listener).
            String out = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                    "x.b.test", "-CAfile", pki.caFile().toString(), "-verify_return_error"), "").output();
            assertThat(out).contains("subject=CN = wild").contains("Verify return code: 0 (ok)");
        }
    }

    // HTTP/2 is negotiated by ALPN and requests still go through routing and the HTTP/1.1 forwarder (GET and a
    // streamed POST body); HTTP/1.1 stays available; the JDK client gets h2 too.
    @Test
    void http2ByAlpnWithHttp11Fallback() throws Exception {
        Requirements.requireTool(Tool.CURL);
        try (DataPlane dp = start(config(1, tls("intermediate", true, "www", "wild", "fallback"), www, wild, fallback))) {
            int port = dp.address("web").getPort();
            String url = "https://www.a.test:" + port + "/hello?q=1";
            String h2 = Commands.run(pki.dir(), curl(port, "--http2", "-w", "\n%{http_version}", url));
            assertThat(h2).isEqualTo("b1 GET /hello?q=1\n2");
            String h2Post = Commands.run(pki.dir(), curl(port, "--http2", "-w", "\n%{http_version}", "--data-binary",
                    "@" + pki.caFile(), url));
            assertThat(h2Post).endsWith("\n2");
            assertThat(backend.last().method()).isEqualTo("POST");
            assertThat(new String(backend.last().body(), StandardCharsets.US_ASCII))
                    .isEqualTo(java.nio.file.Files.readString(pki.caFile()));
            assertThat(backend.last().header("Host")).isEqualTo("www.a.test:" + port);
            String h1 = Commands.run(pki.dir(), curl(port, "--http1.1", "-w", "\n%{http_version}", url));
            assertThat(h1).isEqualTo("b1 GET /hello?q=1\n1.1");

            HttpClient jdk = HttpClient.newBuilder().sslContext(pki.clientContext())
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/jdk"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).isEqualTo("b1 GET /jdk");
        }
    }

    // TLS 1.0 and 1.1 are refused even by a client willing to use them; TLS 1.2 works on intermediate only.
    @Test
    void oldProtocolsRefused() throws Exception {
        try (DataPlane dp = start(config(1, tls("intermediate", true, "fallback"), fallback))) {
            int port = dp.address("web").getPort();
            for (String old : List.of("-tls1", "-tls1_1")) {
                Commands.Result r = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, old,
                        "-cipher", "DEFAULT:@SECLEVEL=0"), "");
                assertThat(r.exit()).as(old).isNotZero();
                assertThat(r.output()).as(old).contains("alert protocol version").contains("Cipher is (NONE)");
            }
            Commands.Result ok = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                    "-CAfile", pki.caFile().toString()), "");
            assertThat(ok.output()).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
        }
        try (DataPlane dp = start(config(1, tls("modern", true, "fallback"), fallback))) {
            int port = dp.address("web").getPort();
            Commands.Result r = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2"), "");
            assertThat(r.exit()).isNotZero();
            // The client offers TLS 1.2 suites too: Undertow grants h2 only to ClientHellos listing
            // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ALPNLimitingSSLEngine); a TLS 1.3-only hello gets http/1.1.
            Commands.Result ok = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-alpn", "h2", "-CAfile", pki.caFile().toString()), "");
            assertThat(ok.output()).contains("New, TLSv1.3").contains("ALPN protocol: h2");
            Commands.Result h1 = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_3",
                    "-alpn", "h2,http/1.1", "-CAfile", pki.caFile().toString()), "");
            assertThat(h1.output()).contains("New, TLSv1.3").contains("ALPN protocol: http/1.1");
        }
    }

    // Suites without AEAD or without forward secrecy are refused; an ECDHE AEAD suite is accepted.
    @Test
    void weakSuitesRefused() throws Exception {
        try (DataPlane dp = start(config(1, tls("intermediate", true, "www", "fallback"), www, fallback))) {
            int port = dp.address("web").getPort();
            for (String weak : List.of("AES128-GCM-SHA256", "AES128-SHA", "ECDHE-RSA-AES128-SHA256",
                    "ECDHE-RSA-AES256-SHA", "DES-CBC3-SHA")) {
                Commands.Result r = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-servername", "www.a.test", "-tls1_2", "-cipher", weak + ":@SECLEVEL=0"), "");
                assertThat(r.exit()).as(weak).isNotZero();
            }
            Commands.Result ok = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-servername", "www.a.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), "");
            assertThat(ok.output()).contains("Cipher    : ECDHE-RSA-AES128-GCM-SHA256");
        }
    }

    // A Host whose certificate differs from the one the connection's SNI got is answered 421 (HTTP/1.1 and
    // HTTP/2); matching hosts pass; HSTS is added when configured.
    @Test
    void misdirectedRequestGets421() throws Exception {
        Requirements.requireTool(Tool.CURL);
        ListenerTls t = new ListenerTls(List.of("www", "wild", "fallback"), "fallback", null, true,
                new Hsts(true, 600L, true, false));
        try (DataPlane dp = start(config(1, t, www, wild, fallback))) {
            int port = dp.address("web").getPort();
            String url = "https://www.a.test:" + port + "/";
            for (String v : List.of("--http1.1", "--http2")) {
                String mis = Commands.run(pki.dir(), curl(port, v, "-H", "Host: x.b.test", "-w", "\n%{http_code}", url));
                assertThat(mis).as(v).contains("DUET-PROXY-0421").endsWith("\n421");
                String ok = Commands.run(pki.dir(), curl(port, v, "-i", "-w", "\n%{http_code}", url));
                assertThat(ok).as(v).endsWith("\n200").containsIgnoringCase("strict-transport-security: "
                        + "max-age=600; includeSubDomains");
            }
            try (SSLSocket s = handshake(port, "x.b.test")) {
                assertThat(request(s, "y.b.test", false)).isEqualTo(200); // same wildcard certificate
                assertThat(request(s, "www.a.test", true)).isEqualTo(421);
            }
        }
    }

    // Rotation: while new connections keep arriving, apply() swaps the certificate; no request fails, the listener
    // keeps its port, new handshakes get the new certificate, an established connection keeps working.
    // The expiry gauge follows the certificate in force.
    @Test
    void rotationUnderLoadWithoutFailures() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        TlsCertificate renewed = TestCertificates.issue(pki, "www", "ec", 30, "DNS:www.a.test");
        try (DataPlane dp = start(config(1, tls("intermediate", true, "www", "fallback"), www, fallback), registry)) {
            int port = dp.address("web").getPort();
            String gauge = "duet_certificate_expiry_seconds{certificate=\"www\"}";
            long before = ((Number) ((Gauge<?>) registry.getGauges().get(gauge)).getValue()).longValue();
            assertThat(before).isBetween(86_400L, 2 * 86_400L);
            BigIntegerHolder oldSerial = new BigIntegerHolder(leaf(port, "www.a.test").getSerialNumber());

            SSLSocket established = handshake(port, "www.a.test");
            assertThat(request(established, "www.a.test", false)).isEqualTo(200);

            List<String> failures = new CopyOnWriteArrayList<>();
            List<java.math.BigInteger> serials = new CopyOnWriteArrayList<>();
            AtomicBoolean rotated = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> {
                for (int i = 0; i < 400 && !stop.get(); i++) {
                    try (SSLSocket s = handshake(port, "www.a.test")) {
                        serials.add(((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber());
                        int status = request(s, "www.a.test", true);
                        if (status != 200) {
                            failures.add("status " + status);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    if (rotated.get() && serials.size() > 0
                            && !serials.get(serials.size() - 1).equals(oldSerial.value)) {
                        stop.set(true);
                    }
                }
            });
            load.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> serials.size() >= 20);
            dp.apply(config(2, tls("intermediate", true, "www", "fallback"), renewed, fallback));
            rotated.set(true);
            load.join(30_000);

            assertThat(failures).isEmpty();
            assertThat(dp.address("web").getPort()).isEqualTo(port);
            assertThat(serials.get(0)).isEqualTo(oldSerial.value);
            assertThat(serials.get(serials.size() - 1)).isNotEqualTo(oldSerial.value);
            assertThat(leaf(port, "www.a.test").getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(request(established, "www.a.test", true)).isEqualTo(200);
            assertThat(((X509Certificate) established.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(oldSerial.value);
            established.close();
            long after = ((Number) ((Gauge<?>) registry.getGauges().get(gauge)).getValue()).longValue();
            assertThat(after).isBetween(29 * 86_400L, 30 * 86_400L);
        }
    }

    private record BigIntegerHolder(java.math.BigInteger value) {
    }

    // A certificate whose key does not match, or whose PEM does not parse, rejects the revision; the old one stays.
    @Test
    void badCertificateRejectsTheRevision() throws Exception {
        try (DataPlane dp = start(config(1, tls("intermediate", true, "www", "fallback"), www, fallback))) {
            int port = dp.address("web").getPort();
            TlsCertificate mismatched = new TlsCertificate("www", www.certificateChain(), wild.privateKey());
            assertThatThrownBy(() -> dp.apply(config(2, tls("intermediate", true, "www", "fallback"), mismatched,
                    fallback))).hasMessageContaining("DUET-PROXY-0130 certificate 'www': DUET-TLS-0006 the private key belongs to none");
            TlsCertificate garbage = new TlsCertificate("www", "-----BEGIN CERTIFICATE-----\nAAAA\n"
                    + "-----END CERTIFICATE-----\n", www.privateKey());
            assertThatThrownBy(() -> dp.apply(config(3, tls("intermediate", true, "www", "fallback"), garbage,
                    fallback))).hasMessageContaining("DUET-PROXY-0130 certificate 'www': DUET-TLS-0002");
            assertThat(dp.revision()).isEqualTo(1);
            assertThat(cn(leaf(port, "www.a.test"))).isEqualTo("CN=www");
        }
    }
}
