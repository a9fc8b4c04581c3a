package io.duet.proxy.health;

import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.build.DocumentBuilder;
import io.duet.testkit.http.StubBackend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Documents for the health tests: one listener, one route to pool {@code p} (plus extra pools), validated. */
final class HealthDocs {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HealthDocs() {
    }

    static List<Server> servers(StubBackend... backends) {
        List<Server> out = new ArrayList<>();
        for (StubBackend b : backends) {
            out.add(new Server(b.name(), "127.0.0.1", b.port(), null, null));
        }
        return out;
    }

    /** Pool {@code p} of these backends, changed by {@code pool}; route retries as given; extra pools appended. */
    static DuetConfig doc(long revision, int retries, UnaryOperator<Pool> pool, List<Pool> extra,
                          StubBackend... backends) {
        List<Pool> pools = new ArrayList<>();
        pools.add(pool.apply(new Pool("p", Pool.ROUND_ROBIN, servers(backends))));
        pools.addAll(extra);
        DocumentBuilder doc = ConfigBuilders.document().revision(revision)
                .listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("v").hostname("health.test").defaultHost()
                        .route(ConfigBuilders.route("all").match(RouteMatch.any()).pool("p").responseTimeoutMs(2000)
                                .retries(retries)));
        pools.forEach(doc::pool);
        DuetConfig d = doc.build();
        try {
            return ConfigValidator.requireValid(d);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static DuetConfig doc(UnaryOperator<Pool> pool, StubBackend... backends) {
        return doc(1, 1, pool, List.of(), backends);
    }

    /** GET through the proxy; status -1 when the request itself failed. */
    static Answer get(int proxyPort, String path) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + proxyPort + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("X-Backend").orElse(""), r.body());
        } catch (Exception e) {
            return new Answer(-1, "", e.toString());
        }
    }

    record Answer(int status, String backend, String body) {
    }
}
