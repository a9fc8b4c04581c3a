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
import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** engine: openssl — the system's libssl behind an https listener, against curl and openssl s_client. */
class OpenSslEngineTest {
    @TempDir
    Path tmp;

    private static DuetConfig config(long revision, TlsCertificate cert, int backend) {
        return new DuetConfig(revision, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(cert.name()), null, null, null, null, null, "openssl"))), null, null, null,
                List.of(new VirtualHost("v", List.of("www.a.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend, null, null)))),
                List.of(cert));
    }

    // TLS 1.3 and h2 through OpenSSL, TLS 1.1 refused; a new certificate applies (the listener is rebound).
    @Test
    void servesThroughOpenSsl() throws Exception {
        TestPki pki = TestPki.create(tmp);
        Requirements.requireTool(Tool.CURL);
        TlsCertificate one = TestCertificates.issue(pki, "www", "rsa", 2, "DNS:www.a.test");
        TlsCertificate two = TestCertificates.issue(pki, "www", "rsa", 2, "DNS:www.a.test");
        try (StubBackend b = StubBackend.start("b1")) {
            DuetConfig c = config(1, one, b.port());
            assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
            try (DataPlane dp = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                    new MetricRegistry(), "openssl"))) {
                int port = dp.address("web").getPort();
                Commands.Result curl = Commands.exec(pki.dir(), List.of("curl", "-sS", "--max-time", "10", "-w", "%{http_version}",
                        "--cacert", pki.caFile().toString(), "--resolve", "www.a.test:" + port + ":127.0.0.1",
                        "https://www.a.test:" + port + "/"), null);
                assertThat(curl.exit()).as(curl.output()).isZero();
                assertThat(curl.output()).startsWith("b1 GET /").endsWith("2");
                Commands.Result s = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-servername", "www.a.test"), "");
                assertThat(s.output()).contains("TLSv1.3").contains("CN = www");
                String serial1 = s.output().replaceAll("(?s).*(-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----).*", "$1");
                Commands.Result old = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"), "");
                assertThat(old.output()).doesNotContain("Cipher is ECDHE");

                dp.apply(config(2, two, b.port()));
                int after = dp.address("web").getPort();
                Commands.Result s2 = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + after,
                        "-servername", "www.a.test"), "");
                String serial2 = s2.output().replaceAll("(?s).*(-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----).*", "$1");
                assertThat(serial2).as("the new certificate is served").isNotEqualTo(serial1);
            }
        }
    }

    // Duet issues ECDSA P-256 certificates by default: libssl signs with them as with RSA 2048, over TLS 1.3 and
    // 1.2, for HTTP/1.1 and h2 by ALPN (wildfly-openssl alone never hands an EC key to libssl: see OpenSslEngine).
    @ParameterizedTest(name = "{0} key, TLS {1}")
    @CsvSource({"ec, 1.3, ECDSA, 256", "ec, 1.2, ECDSA, 256", "rsa, 1.3, RSA-PSS, 2048", "rsa, 1.2, RSA-PSS, 2048"})
    void signsWithEcAndRsaKeys(String keyType, String tls, String signature, int bits) throws Exception {
        TestPki pki = TestPki.create(tmp);
        Requirements.requireTool(Tool.CURL);
        TlsCertificate cert = TestCertificates.issue(pki, "www", keyType, 2, "DNS:www.a.test");
        try (StubBackend b = StubBackend.start("b1");
             DataPlane dp = DataPlane.start(config(1, cert, b.port()), new DataPlaneOptions(
                     Path.of("target/duet-test-data"), 1, new MetricRegistry(), "openssl"))) {
            int port = dp.address("web").getPort();
            // h2 with a client that offers TLS 1.2 suites too: a ClientHello with TLS 1.3 suites only gets HTTP/1.1
            // from Undertow's ALPN check, with JSSE as with OpenSSL (so "1.3" here lets curl offer both).
            for (String http : List.of("--http1.1", "--http2")) {
                Commands.Result curl = Commands.exec(pki.dir(), List.of("curl", "-sS", "--max-time", "10",
                        http, "--tlsv" + (http.equals("--http2") ? "1.2" : tls), "--tls-max", tls,
                        "-w", " %{http_version} %{ssl_verify_result}",
                        "--cacert", pki.caFile().toString(), "--resolve", "www.a.test:" + port + ":127.0.0.1",
                        "https://www.a.test:" + port + "/x"), null);
                assertThat(curl.exit()).as(curl.output()).isZero();
                assertThat(curl.output()).as(http).startsWith("b1 GET /x")
                        .endsWith((http.equals("--http2") ? " 2" : " 1.1") + " 0");
            }
            Commands.Result s = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + port, "-servername", "www.a.test", "-tls" + tls.replace('.', '_'),
                    "-CAfile", pki.caFile().toString(), "-verify_return_error"), "");
            assertThat(s.output()).as(s.output()).contains("Verify return code: 0 (ok)")
                    .contains("Peer signature type: " + signature)
                    .contains("Server public key is " + bits + " bit")
                    .contains("TLSv" + tls);
        }
    }
}
