package io.duet.proxy.health;

import io.duet.config.HealthCheck;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

class HttpProbeTest {
    private static final java.net.InetAddress LOOPBACK = java.net.InetAddress.getLoopbackAddress();

    private static HealthCheck check(String path, List<String> expect, String regex, String host, boolean https,
                                     boolean verify) {
        return new HealthCheck("http", "GET", path, host, expect, regex, https, verify, null, 1000L, 500L, 2, 3, 15);
    }

    // The expected status set accepts single codes and ranges and rejects the rest.
    @Test
    void statusSet() throws Exception {
        try (StubBackend b = StubBackend.start("b").body("ok b")) {
            b.okStatus(204);
            assertThat(new HttpProbe(check("/", List.of("200", "204"), null, null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port()).ok()).isTrue();
            ProbeResult no = new HttpProbe(check("/", List.of("200"), null, null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port());
            assertThat(no.ok()).isFalse();
            assertThat(no.detail()).isEqualTo("HTTP 204 not in [200]");
            b.okStatus(302);
            assertThat(new HttpProbe(check("/", List.of("200-399"), null, null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port()).ok()).isTrue();
            b.mode(StubBackend.Mode.ERROR);
            assertThat(new HttpProbe(check("/", List.of("200-399"), null, null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port()).ok()).isFalse();
        }
    }

    // The body regex is searched in the body; a body without a match fails the check.
    @Test
    void bodyRegex() throws Exception {
        try (StubBackend b = StubBackend.start("b").body("ok b")) {
            b.body("{\"status\":\"UP\",\"db\":\"ok\"}");
            assertThat(new HttpProbe(check("/", null, "\"status\":\"UP\"", null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port()).ok()).isTrue();
            b.body("{\"status\":\"DEGRADED\"}");
            ProbeResult r = new HttpProbe(check("/", null, "\"status\":\"UP\"", null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port());
            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).contains("body does not match");
        }
    }

    // The configured Host header is sent; without one, the server's address and port.
    @Test
    void hostHeader() throws Exception {
        try (StubBackend b = StubBackend.start("b").body("ok b")) {
            new HttpProbe(check("/", null, null, "app.internal", false, false)).check("127.0.0.1", LOOPBACK, b.port());
            new HttpProbe(check("/", null, null, null, false, false)).check("127.0.0.1", LOOPBACK, b.port());
            assertThat(b.hosts()).containsExactly("app.internal", "127.0.0.1:" + b.port());
        }
    }

    // A server that closes the connection without answering fails the check.
    @Test
    void closedConnectionFails() throws Exception {
        try (StubBackend b = StubBackend.start("b").body("ok b")) {
            b.mode(StubBackend.Mode.CLOSE);
            ProbeResult r = new HttpProbe(check("/", null, null, null, false, false))
                    .check("127.0.0.1", LOOPBACK, b.port());
            assertThat(r.ok()).isFalse();
            assertThat(r.detail()).startsWith("malformed response");
        }
    }

    // HTTPS checks accept a self-signed certificate by default and reject it with verifyTls.
    @Test
    void httpsAgainstSelfSignedBackend(@TempDir Path dir) throws Exception {
        SSLContext tls = selfSigned(dir);
        try (StubBackend b = StubBackend.startTls("tls", tls).body("ok tls")) {
            ProbeResult ok = new HttpProbe(check("/", null, "ok tls", null, true, false))
                    .check("127.0.0.1", LOOPBACK, b.port());
            assertThat(ok.ok()).as(ok.detail()).isTrue();
            ProbeResult verified = new HttpProbe(check("/", null, null, null, true, true))
                    .check("127.0.0.1", LOOPBACK, b.port());
            assertThat(verified.ok()).isFalse();
            assertThat(verified.detail()).startsWith("TLS failure");
        }
    }

    /** A key store with a fresh self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    static SSLContext selfSigned(Path dir) throws Exception {
        Path ks = dir.resolve("backend.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "b", "-keyalg", "EC", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-dname",
                "CN=backend", "-validity", "2", "-ext", "SAN=ip:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
