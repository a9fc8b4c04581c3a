package io.duet.proxy.testing;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.build.PoolBuilder;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.StubBackend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.forward;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;

/** Starts a real {@link DataPlane} on an ephemeral port and talks to it, for black-box tests. */
public final class ProxyFixture implements AutoCloseable {
    private final DataPlane dataPlane;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ProxyFixture(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    public static ProxyFixture start(DuetConfig config) {
        return start(config, null);
    }

    /** A data plane with this node's data key ({@code keys}), which opens the document's sealed keys. */
    public static ProxyFixture start(DuetConfig config, io.duet.tls.KeyVault keys) {
        return new ProxyFixture(DataPlane.start(config, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new com.codahale.metrics.MetricRegistry(), "duet-test", keys, null)));
    }

    /** One listener on port 0, one default virtual host routing everything to pool {@code p} of these backends. */
    public static DuetConfig simpleConfig(String balancer, StubBackend... backends) {
        PoolBuilder p = pool("p").balancer(balancer);
        for (StubBackend b : backends) {
            p.server(server("127.0.0.1", b.port()).id(b.name()));
        }
        return document().revision(1).listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(virtualHost("default").hostname("example.test").defaultHost()
                        .route(forward("all", RouteMatch.any(), "p")))
                .pool(p).build();
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public int port() {
        return dataPlane.address("http").getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        dataPlane.close();
    }
}
