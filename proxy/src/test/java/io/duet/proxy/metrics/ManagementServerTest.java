package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementServerTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ManagementServer server;

    @BeforeEach
    void start() {
        ProxyMetrics metrics = new ProxyMetrics(registry);
        RouteMetrics route = metrics.forRoute("api", "users");
        route.requestStarted();
        route.requestFinished(200, 3_000_000);
        JvmMetrics.registerInto(registry);
        server = ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    // GET /metrics answers the whole registry as valid Prometheus 0.0.4 text with its content type.
    @Test
    void metricsServesPrometheusText() throws Exception {
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusTextValidator.validate(r.body()))
                .containsEntry("duet_route_requests_total{vhost=\"api\",route=\"users\"}", "1")
                .containsKey("jvm_threads_live");
    }

    // GET /healthz answers 200 ok; the port really was chosen by the OS.
    @Test
    void healthzAnswersOk() throws Exception {
        assertThat(server.address().getPort()).isPositive();
        HttpResponse<String> r = send("GET", "/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
    }

    // Unknown paths are 404 and methods other than GET/HEAD are 405 with Allow.
    @Test
    void unknownPathAndWrongMethod() throws Exception {
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send("DELETE", "/healthz").statusCode()).isEqualTo(405);
    }
}
