package io.duet.proxy.tls;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.HttpsRedirect;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import io.duet.testkit.tls.TrustAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain-HTTP requests of a virtual host redirected to HTTPS; its https listener serves them. */
class HttpsRedirectTest {
    static StubBackend backend;
    static DataPlane dp;
    static InetSocketAddress http;

    @BeforeAll
    static void start() {
        backend = StubBackend.start("b1");
        Route all = Route.forward("all", RouteMatch.any(), "p");
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("plain", "127.0.0.1", 0),
                new Listener("web", "127.0.0.1", 0, "https", null, new ListenerTls(null, null, null, null, null))),
                null, null, null, List.of(
                new VirtualHost("www", List.of("www.a.test", "*.shop.test"), true, List.of(all),
                        new HttpsRedirect(true, 8443, 308)),
                new VirtualHost("std", List.of("std.a.test"), false, List.of(all), new HttpsRedirect(true, null, null)),
                new VirtualHost("api", List.of("api.a.test"), false, List.of(all))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of());
        assertThat(ConfigValidator.validate(c).stream().filter(v -> v.isError())).isEmpty();
        dp = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1, new MetricRegistry(),
                "redirect"));
        http = dp.address("plain");
    }

    @AfterAll
    static void stop() {
        if (dp != null) {
            dp.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static RawHttp.Response get(String host, String target) {
        try (RawHttp c = RawHttp.connect(http)) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            return c.readResponse();
        }
    }

    // The request's own host (exact or under a wildcard, port dropped), path and query; the configured status and
    // port; 443 is left out of the URL.
    @Test
    void redirectsPlainRequests() {
        int before = backend.requests();
        RawHttp.Response r = get("www.a.test:8080", "/cart/items?id=7&x=%20y");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("https://www.a.test:8443/cart/items?id=7&x=%20y");
        assertThat(get("Deals.Shop.Test", "/").header("Location")).isEqualTo("https://deals.shop.test:8443/");
        assertThat(get("std.a.test", "/x").status()).isEqualTo(301);
        assertThat(get("std.a.test", "/x").header("Location")).isEqualTo("https://std.a.test/x");
        assertThat(backend.requests()).as("nothing forwarded").isEqualTo(before);
    }

    // A Host only the default host catches is not reflected: the Location names the host's first exact name.
    @Test
    void neverReflectsAnUnknownHost() {
        assertThat(get("evil.example", "/login").header("Location")).isEqualTo("https://www.a.test:8443/login");
    }

    // Hosts without a redirect are routed on plain HTTP; over HTTPS the redirecting host is served.
    @Test
    void otherHostsAndHttpsAreServed() throws Exception {
        assertThat(get("api.a.test", "/").status()).isEqualTo(200);
        HttpClient client = HttpClient.newBuilder().sslContext(TrustAll.context()).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + dp.address("web").getPort() + "/secure")).build(),
                HttpResponse.BodyHandlers.ofString()); // localhost: the default host, www, which redirects on http

        assertThat(r.statusCode()).isEqualTo(200);
    }
}
