package io.duet.proxy.tls;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.Commands;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Client-initiated renegotiation (TLS 1.2) is refused; the JDK server never offers it. */
class TlsRenegotiationTest {
    @TempDir
    Path tmp;

    // openssl s_client asks to renegotiate a TLS 1.2 session ("R"): the server refuses with an alert.
    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        TestPki pki = TestPki.create(tmp);
        try (StubBackend backend = StubBackend.start("b1")) {
            DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                    new ListenerTls(List.of(), null, null, false, null))), null, null, null,
                    List.of(new VirtualHost("v", List.of("localhost"), true,
                            List.of(Route.forward("all", RouteMatch.any(), "p")))),
                    List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                    List.of());
            try (DataPlane dp = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                    new MetricRegistry(), "reneg"))) {
                int port = dp.address("web").getPort();
                Commands.Result r = Commands.exec(pki.dir(), List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-tls1_2", "-servername", "localhost"), "R\n");
                assertThat(r.output()).contains("Protocol  : TLSv1.2");
                assertThat(r.output()).contains("RENEGOTIATING");
                assertThat(r.output()).containsAnyOf("no renegotiation", "alert", "errno", "error"); // OpenSSL 3: "ssl3_read_bytes:no renegotiation" or an alert
                assertThat(r.output()).doesNotContain("Secure Renegotiation IS NOT supported");
            }
        }
    }
}
