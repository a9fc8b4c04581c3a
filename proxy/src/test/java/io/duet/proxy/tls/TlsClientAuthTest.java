package io.duet.proxy.tls;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ClientAuth;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Client certificates (mutual TLS) with curl: required, optional, the subject header, CA bundle rotation. */
class TlsClientAuthTest {
    @TempDir
    static Path tmp;
    static TestPki pki;        // the server's CA and certificate
    static TestPki clients;    // the CA of accepted client certificates
    static TestPki strangers;  // another CA
    static TlsCertificate www;
    static TlsCertificate alice;
    static TlsCertificate mallory;
    static StubBackend backend;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.create(Files.createDirectories(tmp.resolve("server")));
        clients = TestPki.create(Files.createDirectories(tmp.resolve("clients")));
        strangers = TestPki.create(Files.createDirectories(tmp.resolve("strangers")));
        www = TestCertificates.issue(pki, "www", "ec", 2, "DNS:www.a.test");
        alice = TestCertificates.issue(clients, "alice", "ec", 2, "DNS:alice.clients.test");
        mallory = TestCertificates.issue(strangers, "mallory", "ec", 2, "DNS:mallory.test");
        Files.writeString(tmp.resolve("alice.pem"), alice.certificateChain());
        Files.writeString(tmp.resolve("alice.key"), alice.privateKey());
        Files.writeString(tmp.resolve("mallory.pem"), mallory.certificateChain());
        Files.writeString(tmp.resolve("mallory.key"), mallory.privateKey());
        backend = StubBackend.start("b1");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static DuetConfig config(long revision, ClientAuth auth) {
        return new DuetConfig(revision, List.of(
                new Listener("web", "127.0.0.1", 0, "https", null,
                        new ListenerTls(List.of("www"), null, null, false, null, auth)),
                new Listener("plain", "127.0.0.1", 0)), null, null, null,
                List.of(new VirtualHost("v", List.of("www.a.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of(www));
    }

    private static DataPlane start(DuetConfig c) {
        assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
        return DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1, new MetricRegistry(),
                "mtls"));
    }

    private static String caOf(TestPki p) throws Exception {
        return Files.readString(p.caFile());
    }

    /** curl over https with an optional client certificate and a forged subject header; exit code and output. */
    private static Commands.Result curl(int port, String cert) throws Exception {
        Requirements.requireTool(Tool.CURL);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                pki.caFile().toString(), "--resolve", "www.a.test:" + port + ":127.0.0.1",
                "-H", "X-Client-Cert-Subject: CN=forged", "https://www.a.test:" + port + "/"));
        if (cert != null) {
            cmd.addAll(List.of("--cert", tmp.resolve(cert + ".pem").toString(), "--key",
                    tmp.resolve(cert + ".key").toString()));
        }
        return Commands.exec(pki.dir(), cmd, null);
    }

    // required: no certificate or one from another CA fails the handshake (nothing reaches the server); a trusted
    // one goes through with its subject in the header, replacing what the client claimed.
    @Test
    void requiredClientCertificate() throws Exception {
        try (DataPlane dp = start(config(1, new ClientAuth("required", caOf(clients), null)))) {
            int port = dp.address("web").getPort();
            int before = backend.requests();
            assertThat(curl(port, null).exit()).isNotZero();
            assertThat(curl(port, "mallory").exit()).isNotZero();
            assertThat(backend.requests()).isEqualTo(before);

            Commands.Result ok = curl(port, "alice");
            assertThat(ok.exit()).as(ok.output()).isZero();
            assertThat(backend.last().header("X-Client-Cert-Subject")).isEqualTo("CN=alice");
            assertThat(backend.last().count("X-Client-Cert-Subject")).isEqualTo(1);
        }
    }

    // optional: without a certificate the request goes through and the forged header is removed; with one the
    // subject is passed on. A custom header name works the same way.
    @Test
    void optionalClientCertificate() throws Exception {
        try (DataPlane dp = start(config(1, new ClientAuth("optional", caOf(clients), null)))) {
            int port = dp.address("web").getPort();
            assertThat(curl(port, null).exit()).isZero();
            assertThat(backend.last().header("X-Client-Cert-Subject")).isNull();
            assertThat(curl(port, "alice").exit()).isZero();
            assertThat(backend.last().header("X-Client-Cert-Subject")).isEqualTo("CN=alice");

            // Plain HTTP listener of the same data plane: the default header is stripped there too.
            int plain = dp.address("plain").getPort();
            Commands.Result r = Commands.exec(pki.dir(), List.of("curl", "-sS", "--max-time", "10", "-H", "Host: www.a.test", "-H",
                    "X-Client-Cert-Subject: CN=forged", "http://127.0.0.1:" + plain + "/"), null);
            assertThat(r.exit()).isZero();
            assertThat(backend.last().header("X-Client-Cert-Subject")).isNull();
        }
        try (DataPlane dp = start(config(1, new ClientAuth("optional", caOf(clients), "X-SSL-Client-DN")))) {
            int port = dp.address("web").getPort();
            assertThat(curl(port, "alice").exit()).isZero();
            assertThat(backend.last().header("X-SSL-Client-DN")).isEqualTo("CN=alice");
        }
    }

    // A new CA bundle applies to new handshakes on the same socket: alice is refused, mallory accepted.
    @Test
    void caBundleRotationWithoutRebind() throws Exception {
        try (DataPlane dp = start(config(1, new ClientAuth("required", caOf(clients), null)))) {
            int port = dp.address("web").getPort();
            assertThat(curl(port, "alice").exit()).isZero();
            dp.apply(config(2, new ClientAuth("required", caOf(strangers), null)));
            assertThat(dp.address("web").getPort()).isEqualTo(port);
            assertThat(curl(port, "alice").exit()).isNotZero();
            assertThat(curl(port, "mallory").exit()).isZero();
            assertThat(backend.last().header("X-Client-Cert-Subject")).isEqualTo("CN=mallory");
        }
    }

    // The subject is made header-safe: bytes outside printable ASCII become RFC 4514 hex escapes.
    @Test
    void subjectIsHeaderSafe() {
        assertThat(ClientSubject.headerSafe("CN=alice,O=Example")).isEqualTo("CN=alice,O=Example");
        assertThat(ClientSubject.headerSafe("CN=J\u00fcrgen")).isEqualTo("CN=J\\C3\\BCrgen");
        assertThat(ClientSubject.headerSafe("CN=a\nb")).isEqualTo("CN=a\\0Ab");
    }
}
