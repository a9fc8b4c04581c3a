package io.duet.proxy.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.duet.config.BackendTls;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.HealthCheck;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.TlsCertificate;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TestPki;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Re-encryption: pools whose servers speak TLS, verified against a CA bundle, with SNI, kept alive. */
class BackendTlsTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TestPki otherCa;
    static TlsCertificate backendCert;   // backend.test, from pki's CA
    static TlsCertificate selfSigned;    // its own CA

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(Files.createDirectories(tmp.resolve("pki")));
        otherCa = TestPki.create(Files.createDirectories(tmp.resolve("other")));
        backendCert = TestCertificates.issue(pki, "backend", "ec", 2, "DNS:backend.test");
        selfSigned = TestCertificates.issue(otherCa, "selfish", "ec", 2, "DNS:selfish.test");
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.duet.proxy")).addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("io.duet.proxy")).detachAppender(logs);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @AfterAll
    static void none() {
    }

    /** A real HTTPS server (the JDK's) that counts TLS connections and records the SNI names it was asked for. */
    final class TlsServer implements AutoCloseable {
        final HttpsServer server;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> sni = new CopyOnWriteArrayList<>();

        TlsServer(TlsCertificate cert) throws Exception {
            CertifiedKey ck = CertificateImport.fromPem(cert.certificateChain(), cert.privateKey(), null,
                    Clock.systemUTC(), CertificateImport.Validity.WARN);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[]{new RecordingKeys(ck, sni)}, null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
                @Override
                public void configure(HttpsParameters params) {
                    connections.incrementAndGet(); // once per accepted TLS connection
                    super.configure(params);
                }
            });
            server.createContext("/", ex -> {
                byte[] in;
                try (InputStream body = ex.getRequestBody()) {
                    in = body.readAllBytes();
                }
                byte[] out = ex.getRequestMethod().equals("POST") ? in
                        : ("tls-ok " + ex.getRequestURI()).getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, out.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            });
            server.start();
            open.add(this);
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static final class RecordingKeys extends X509ExtendedKeyManager {
        private final CertifiedKey key;
        private final List<String> sni;

        RecordingKeys(CertifiedKey key, List<String> sni) {
            this.key = key;
            this.sni = sni;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (engine.getHandshakeSession() instanceof ExtendedSSLSession s) {
                for (SNIServerName n : s.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        sni.add(h.getAsciiName());
                    }
                }
            }
            return key.key().getAlgorithm().equals(keyType) ? "k" : null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return key.key().getAlgorithm().equals(keyType) ? "k" : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return key.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[]{"k"};
        }
    }

    private DataPlane start(Pool pool) {
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0)), null, null, null,
                List.of(new VirtualHost("v", List.of("www.a.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), pool.name())))),
                List.of(pool));
        assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
        DataPlane dp = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "backend-tls"));
        open.add(dp);
        return dp;
    }

    private static Pool pool(int port, BackendTls tls) {
        return new Pool("p", null, List.of(new Server("b1", "127.0.0.1", port, null, null))).withTls(tls);
    }

    private static RawHttp.Response get(DataPlane dp, String path) {
        try (RawHttp c = RawHttp.connect(dp.address("web"))) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: www.a.test\r\n\r\n");
            return c.readResponse();
        }
    }

    private boolean logged(String text) {
        return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    // Verified against the CA bundle with serverName as SNI: 200, the connection kept alive for the next request.
    @Test
    void verifiedKeptAliveWithSni() throws Exception {
        TlsServer b = new TlsServer(backendCert);
        DataPlane dp = start(pool(b.port(), new BackendTls(true, Files.readString(pki.caFile()), null,
                "backend.test")));
        RawHttp.Response r = get(dp, "/one");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("tls-ok /one");
        assertThat(get(dp, "/two").body()).isEqualTo("tls-ok /two");
        assertThat(b.connections.get()).as("one TLS connection for both requests").isEqualTo(1);
        assertThat(b.sni).containsExactly("backend.test");
    }

    // 1 MiB up and 1 MiB down through TLS.
    @Test
    void largeBodiesBothWays() throws Exception {
        TlsServer b = new TlsServer(backendCert);
        DataPlane dp = start(pool(b.port(), new BackendTls(true, Files.readString(pki.caFile()), null,
                "backend.test")));
        byte[] body = new byte[1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        try (RawHttp c = RawHttp.connect(dp.address("web"))) {
            c.send("POST /echo HTTP/1.1\r\nHost: www.a.test\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    // Wrong CA, wrong name, plain HTTP behind a TLS pool: 502 (not a hang), and the reason is logged.
    @Test
    void failuresAre502WithTheReason() throws Exception {
        TlsServer b = new TlsServer(backendCert);
        DataPlane wrongCa = start(pool(b.port(), new BackendTls(true, Files.readString(otherCa.caFile()), null,
                "backend.test")));
        assertThat(get(wrongCa, "/").status()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(5)).until(() -> logged("DUET-PROXY-0140"));
        assertThat(logged("PKIX") || logged("certification path") || logged("unable to find valid")).isTrue();

        logs.list.clear();
        DataPlane wrongName = start(pool(b.port(), new BackendTls(true, Files.readString(pki.caFile()), null,
                "other.test")));
        assertThat(get(wrongName, "/").status()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(5)).until(() -> logged("DUET-PROXY-0140"));
        assertThat(logged("other.test")).isTrue();

        try (StubBackend plain = StubBackend.start("plain")) {
            DataPlane dp = start(pool(plain.port(), new BackendTls(true, Files.readString(pki.caFile()), null,
                    "backend.test")));
            long t0 = System.nanoTime();
            assertThat(get(dp, "/").status()).isEqualTo(502);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        }
    }

    // verify: false accepts a self-signed server (explicit opt-out, warned at apply) and still sends SNI.
    @Test
    void unverifiedOptOutIsLogged() throws Exception {
        TlsServer b = new TlsServer(selfSigned);
        DataPlane dp = start(pool(b.port(), new BackendTls(true, null, false, "selfish.test")));
        assertThat(logged("DUET-PROXY-0141 pool 'p' accepts any server certificate")).isTrue();
        assertThat(get(dp, "/").status()).isEqualTo(200);
        assertThat(b.sni).containsExactly("selfish.test");
    }

    // A new connection to the same server resumes the TLS session (the pool's SSLContext keeps the client session
    // cache): openssl s_server -www closes after each answer and says whether the session was new or reused.
    @Test
    void newConnectionsResumeTheSession() throws Exception {
        java.nio.file.Path dir = tmp.resolve("s_server");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cert.pem"), backendCert.certificateChain());
        Files.writeString(dir.resolve("key.pem"), backendCert.privateKey());
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                "cert.pem", "-key", "key.pem", "-www", "-naccept", "10").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        open.add(server::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        DataPlane dp = start(pool(port, new BackendTls(true, Files.readString(pki.caFile()), null, "backend.test")));
        RawHttp.Response first = get(dp, "/");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("New, TLSv1.3");
        RawHttp.Response second = get(dp, "/");
        assertThat(second.body()).contains("Reused, TLSv1.3");
    }

    // The pool's active health check speaks TLS with the pool's trust: up with the right CA, down with another.
    @Test
    void healthChecksUseThePoolsTls() throws Exception {
        TlsServer b = new TlsServer(backendCert);
        // A generous timeout: a TLS handshake on a loaded 2-core machine can take hundreds of milliseconds.
        HealthCheck check = HealthCheck.http("/health").withTiming(1000, 900, 1, 1);
        DataPlane ok = start(pool(b.port(), new BackendTls(true, Files.readString(pki.caFile()), null,
                "backend.test")).withHealth(check, null, null, null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.health().status("p").server("b1").lastProbes().size() >= 2
                && ok.health().status("p").server("b1").state() == io.duet.proxy.health.HealthState.UP);
        DataPlane bad = start(new Pool("q", null, List.of(new Server("b1", "127.0.0.1", b.port(), null, null)))
                .withTls(new BackendTls(true, Files.readString(otherCa.caFile()), null, "backend.test"))
                .withHealth(check, null, null, null, null));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                bad.health().status("q").server("b1").state() == io.duet.proxy.health.HealthState.DOWN);
        assertThat(bad.health().status("q").server("b1").reason()).contains("TLS failure");
    }
}
