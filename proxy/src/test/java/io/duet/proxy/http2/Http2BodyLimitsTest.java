package io.duet.proxy.http2;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.proxy.testing.RawH2;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TrustAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge's body limits hold for HTTP/2 requests as for HTTP/1.1: our 413, our 408 on a stalled upload. */
class Http2BodyLimitsTest {
    static StubBackend backend;
    static DataPlane dataPlane;
    static HttpClient client;
    static URI uri;

    @BeforeAll
    static void start() throws Exception {
        backend = StubBackend.start("b1");
        Limits limits = new Limits(null, null, null, 1000L, null, null, 1000L, null, null, null, null);
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(), null, null, null, null))), limits, null, null,
                List.of(new VirtualHost("v", List.of("localhost"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of());
        dataPlane = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "h2-limits"));
        SSLContext ctx = TrustAll.context();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ctx)
                .connectTimeout(Duration.ofSeconds(5)).build();
        uri = URI.create("https://localhost:" + dataPlane.address("web").getPort() + "/upload");
    }

    @AfterAll
    static void stop() {
        if (dataPlane != null) {
            dataPlane.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    // A body over maxBodyBytes is answered 413 by Duet (its own error page and id), and not forwarded; one within
    // the limit goes through over HTTP/2.
    @Test
    void bodyOverTheLimitGets413() throws Exception {
        int before = backend.requests();
        HttpResponse<String> big = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("DUET-EDGE-0413");
        assertThat(backend.requests()).isEqualTo(before);

        HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        new byte[5000]))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as("no Content-Length, counted as it streams").isEqualTo(413);
        assertThat(streamed.body()).contains("DUET-EDGE-0413");

        HttpResponse<String> small = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[500])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).isEqualTo(200);
    }

    // An upload that stalls longer than bodyTimeoutMs is answered 408 (DUET-EDGE-0408) on its stream; the
    // connection goes on and serves the next request.
    @Test
    void stalledUploadGets408() throws Exception {
        int port = dataPlane.address("web").getPort();
        try (RawH2 c = RawH2.connect(port, "localhost")) {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.request("POST", "/upload", "localhost",
                    "content-length", "800"));
            c.frame(RawH2.DATA, 0, 1, new byte[10]); // then nothing more
            c.flush();
            StringBuilder body = new StringBuilder();
            boolean ended = false;
            while (!ended) {
                RawH2.Frame f = c.read();
                assertThat(f).as("connection still open").isNotNull();
                if (f.type() == RawH2.DATA && f.stream() == 1) {
                    body.append(new String(f.payload(), java.nio.charset.StandardCharsets.US_ASCII));
                    ended = (f.flags() & RawH2.END_STREAM) != 0;
                }
            }
            assertThat(body.toString()).contains("DUET-EDGE-0408");
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 3, RawH2.request("GET", "/next", "localhost"));
            c.flush();
            RawH2.Frame f;
            do {
                f = c.read();
            } while (f != null && !(f.type() == RawH2.HEADERS && f.stream() == 3));
            assertThat(f).as("the next request on the same connection is answered").isNotNull();
        }
    }
}
