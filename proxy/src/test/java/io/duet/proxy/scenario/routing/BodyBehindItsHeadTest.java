package io.duet.proxy.scenario.routing;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.RouteMatch;
import io.duet.config.build.DocumentBuilder;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request body that the edge already holds while nobody reads it yet: the first request of a fresh data plane
 * (its forwarder still opening the backend connection) whose body arrived together with its head. The edge must
 * keep the body for the forwarder, not spin on it: over TLS a read listener re-run without progress trips
 * Undertow's read loop detector (UT005076), which closes the connection without a response.
 */
class BodyBehindItsHeadTest {
    private static final String BODY = "x=1&y=2";
    private static final String HEAD = "POST /form HTTP/1.1\r\nHost: a.test\r\nContent-Length: " + BODY.length()
            + "\r\n\r\n";

    private StubBackend backend;
    private DataPlane dataPlane;

    @BeforeEach
    void start() {
        backend = StubBackend.start("A");
        DocumentBuilder doc = document().revision(1)
                .listener(SniCertificates.listener(false))
                .listener(new Listener("plain", "127.0.0.1", 0))
                .listener(new Listener("h2", "127.0.0.1", 0, "https", null,
                        new ListenerTls(List.of("a", "b"), "a", null, true, null)))
                .virtualHost(virtualHost("a").hostname("a.test").defaultHost()
                        .route(route("all").match(RouteMatch.any()).pool("A")))
                .pool(pool("A").server(server("127.0.0.1", backend.port()).id("A")));
        SniCertificates.get().certificates.forEach(doc::certificate);
        DuetConfig config = doc.build();
        assertThat(ConfigValidator.validate(config).stream().filter(v -> v.isError())).isEmpty();
        dataPlane = DataPlane.start(config, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "body-behind-head"));
    }

    @AfterEach
    void stop() {
        if (dataPlane != null) {
            dataPlane.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    // Head and body as two TLS records in one TCP segment: the edge decrypts the head and keeps the body record
    // undecrypted while the forwarder connects. It used to be closed with UT005076 (SSL read loop detected).
    @Test
    void httpsBodyRecordReadWithItsHead() throws Exception {
        CorkedSocket tcp = new CorkedSocket(dataPlane.address("in").getPort());
        try (SSLSocket tls = SniCertificates.get().connectOver(tcp, "a.test"); RawHttp c = RawHttp.over(tls)) {
            tcp.cork();
            c.send(HEAD);
            c.send(BODY);
            tcp.uncork();
            assertAnswered(c.readResponse());
        }
    }

    // The same request over plain HTTP, head and body in one segment.
    @Test
    void plainBodyReadWithItsHead() throws Exception {
        try (Socket s = new Socket("127.0.0.1", dataPlane.address("plain").getPort()); RawHttp c = RawHttp.over(s)) {
            s.setTcpNoDelay(true);
            c.send(HEAD + BODY);
            assertAnswered(c.readResponse());
        }
    }

    // The same request over HTTP/2 (TLS): HEADERS and DATA in one write.
    @Test
    void h2BodyReadWithItsHead() throws Exception {
        try (H2ScenarioClient c = new H2ScenarioClient(dataPlane.address("h2").getPort())) {
            assertAnswered(c.send("POST", "a.test", "/form", BODY));
        }
    }

    // Head and body as two writes (two TLS records, two segments) on fresh connections, the first one while the
    // forwarder still connects: every one is answered.
    @Test
    void httpsHeadThenBodyOnFreshConnections() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (SSLSocket tls = SniCertificates.get().connect(dataPlane.address("in").getPort(), "a.test");
                 RawHttp c = RawHttp.over(tls)) {
                c.send(HEAD);
                c.send(BODY);
                assertThat(c.readResponse().status()).as("request %d", i).isEqualTo(200);
            }
        }
        assertThat(backend.requests()).isEqualTo(50);
    }

    // The same over plain HTTP.
    @Test
    void plainHeadThenBodyOnFreshConnections() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket("127.0.0.1", dataPlane.address("plain").getPort());
                 RawHttp c = RawHttp.over(s)) {
                s.setTcpNoDelay(true);
                c.send(HEAD);
                c.send(BODY);
                assertThat(c.readResponse().status()).as("request %d", i).isEqualTo(200);
            }
        }
        assertThat(backend.requests()).isEqualTo(50);
    }

    private void assertAnswered(RawHttp.Response r) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("A POST /form");
        assertThat(new String(backend.last().body(), StandardCharsets.ISO_8859_1)).isEqualTo(BODY);
    }
}
