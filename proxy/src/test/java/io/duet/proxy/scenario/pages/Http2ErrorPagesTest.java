package io.duet.proxy.scenario.pages;

import io.duet.config.DuetConfig;
import io.duet.config.ErrorPage;
import io.duet.config.ListenerTls;
import io.duet.config.Listener;
import io.duet.config.Maintenance;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TrustAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's pages on HTTP/2 streams (java.net.http over TLS with ALPN h2): the 404 of the router, the 413 the
 * body guard answers on the stream, a route's maintenance answer, and HEAD without a body.
 */
class Http2ErrorPagesTest {
    private StubBackend backend;
    private DataPlane dataPlane;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        backend = StubBackend.start("b1");
        dataPlane = DataPlane.start(config(1, null), new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new com.codahale.metrics.MetricRegistry(), "h2-pages"));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TrustAll.context())
                .connectTimeout(Duration.ofSeconds(5)).build();
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

    private DuetConfig config(long revision, Maintenance appSwitch) {
        return document().revision(revision)
                .listener(new Listener("web", "127.0.0.1", 0, "https", null,
                        new ListenerTls(java.util.List.of(), null, null, null, null)))
                .virtualHost(virtualHost("v").hostname("localhost").defaultHost()
                        .errorPage(new ErrorPage(404, "text/plain", "h2 404"))
                        .errorPage(new ErrorPage(413, "text/plain", "h2 413"))
                        .errorPage(new ErrorPage(503, "text/plain", "h2 503"))
                        .route(route("app").pathPrefix("/app").pool("p").maintenance(appSwitch))
                        .route(route("small").pathPrefix("/small").pool("p").maxBodyBytes(10)))
                .pool(pool("p").server(server("127.0.0.1", backend.port()).id("b1")))
                .build();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        URI uri = URI.create("https://localhost:" + dataPlane.address("web").getPort() + path);
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, p).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        return r;
    }

    // 404 and 413 on a stream: the host's page; the connection goes on serving.
    @Test
    void pagesOnStreams() throws Exception {
        HttpResponse<String> missing = send("GET", "/nowhere", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("h2 404");
        assertThat(missing.headers().firstValue("content-type")).hasValue("text/plain");

        HttpResponse<String> big = send("POST", "/small", "x".repeat(100));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).isEqualTo("h2 413");
        assertThat(backend.requests()).isZero();

        HttpResponse<String> head = send("HEAD", "/nowhere", null);
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        assertThat(send("GET", "/app/x", null).statusCode()).isEqualTo(200);
    }

    // A route's switch on HTTP/2: 503, Retry-After and the host's 503 page.
    @Test
    void maintenanceOnAStream() throws Exception {
        dataPlane.apply(config(2, new Maintenance(true, 42, null, null)));
        HttpResponse<String> r = send("GET", "/app/x", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("42");
        assertThat(r.body()).isEqualTo("h2 503");
    }
}
