package io.duet.config.build;

import io.duet.config.BalancerAlgorithm;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.FixedResponse;
import io.duet.config.HeaderRule;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.PathMatch;
import io.duet.config.Pool;
import io.duet.config.Redirect;
import io.duet.config.Rewrite;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.ServerState;
import io.duet.config.VirtualHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.forward;
import static io.duet.config.build.ConfigBuilders.httpsListener;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

/** The builders make the very records the positional constructors make, defaults included. */
class ConfigBuildersTest {

    // Nothing set: the same records as the constructors given nulls, which is the records' defaults.
    @Test
    void emptyBuildersAreTheDefaults() {
        assertThat(document().build()).isEqualTo(new DuetConfig(null, null, null, null, null, null, null));
        assertThat(route("r").build()).isEqualTo(new Route("r", null, null, null, null, null, null, null, null,
                null, null, null, null));
        assertThat(pool("p").build()).isEqualTo(new Pool("p", null, null));
        assertThat(server("10.0.0.1", 80).build()).isEqualTo(new Server("10.0.0.1", 80));
        assertThat(virtualHost("v").build()).isEqualTo(new VirtualHost("v", null, null, null));
    }

    // The minimal valid document, by name and by position: equal, and valid without warnings.
    @Test
    void minimalDocument() {
        DuetConfig built = document().revision(3)
                .listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(virtualHost("v").defaultHost().route(forward("all", RouteMatch.any(), "p")))
                .pool(pool("p").server("127.0.0.1", 9000))
                .build();
        DuetConfig positional = new DuetConfig(3L, List.of(new Listener("http", "127.0.0.1", 0)), null, null, null,
                List.of(new VirtualHost("v", List.of(), true, List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("127.0.0.1", 9000)))));
        assertThat(built).isEqualTo(positional);
        assertThat(ConfigValidator.validate(built)).isEmpty();
    }

    // Every field of a route, a pool and a server lands in its component.
    @Test
    void everyFieldLandsInItsComponent() {
        Route r = route("api").pathPrefix("/api").pool("p").requestHeader(new HeaderRule("set", "X-A", "1"))
                .responseHeader(new HeaderRule("remove", "Server", null)).rewrite("/api", "/")
                .maxBodyBytes(10).responseTimeoutMs(20).retries(0).stickyServerDown(Route.FAIL).build();
        assertThat(r).isEqualTo(new Route("api", RouteMatch.pathPrefix("/api"), "p", null, null,
                List.of(new HeaderRule("set", "X-A", "1")), List.of(new HeaderRule("remove", "Server", null)),
                new Rewrite("/api", "/"), null, 10L, 20L, 0, Route.FAIL));
        assertThat(route("x").redirect(301, "https://{host}/").build().redirect())
                .isEqualTo(new Redirect(301, "https://{host}/"));
        assertThat(route("x").pathExact("/x").build().match().path()).isEqualTo(new PathMatch("/x", null, null));
        assertThat(route("x").respond(503, "down", null).build().respond())
                .isEqualTo(new FixedResponse(503, "down", null));

        Server s = server("10.0.0.2", 81).id("b").weight(5).backup().state(ServerState.DRAIN)
                .drainUntil("2030-01-01T00:00:00Z").build();
        assertThat(s).isEqualTo(new Server("b", "10.0.0.2", 81, 5, true, Server.DRAIN, "2030-01-01T00:00:00Z"));

        Pool p = pool("p").balancer(BalancerAlgorithm.LEAST_CONNECTIONS).server(s).connectTimeoutMs(100)
                .maxConnectionsPerServer(8).slowStartMs(1000).panicThresholdPercent(50).build();
        assertThat(p).isEqualTo(new Pool("p", "least-connections", List.of(s), 100L, 8, null, null, null, 1000L, 50,
                null, null, null, null, null));
    }

    // A builder may build again: each call is a new record with everything added so far.
    @Test
    void buildAgainAfterMore() {
        PoolBuilder b = pool("p").server("10.0.0.1", 80);
        Pool one = b.build();
        Pool two = b.server("10.0.0.2", 80).build();
        assertThat(one.servers()).hasSize(1);
        assertThat(two.servers()).hasSize(2);
    }

    // An HTTPS listener names its certificates; the TLS settings are the defaults.
    @Test
    void httpsListenerNamesItsCertificates() {
        assertThat(httpsListener("web", "127.0.0.1", 0, "www")).isEqualTo(new Listener("web", "127.0.0.1", 0,
                "https", null, new ListenerTls(List.of("www"), null, null, null, null)));
    }
}
