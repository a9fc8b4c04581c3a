package io.duet.proxy.ratelimit;

import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pair's seam with two real data planes and one client alternating between them: fed each other's admissions
 * (what the member channel's exchange will carry), they enforce one limit for the client; cut apart, each falls
 * back to half of it, never to the whole or to unlimited. The exchange here is a direct call after each request.
 */
class PairSeamTest {
    private StubBackend backend;
    private ProxyFixture a;
    private ProxyFixture b;

    @BeforeEach
    void start() throws Exception {
        backend = StubBackend.start("b");
        DuetConfig doc = ConfigCodec.decode("""
                revision: 1
                listeners: [{name: http, address: 127.0.0.1, port: 0, rateLimits: [per-client]}]
                rateLimits: [{name: per-client, requests: 4, per: hour}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: all, pool: p}]}]
                pools: [{name: p, servers: [{address: 127.0.0.1, port: %d}]}]
                """.formatted(backend.port()), ConfigCodec.Format.YAML);
        a = ProxyFixture.start(doc);
        b = ProxyFixture.start(doc);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        backend.close();
    }

    /** One report each way: each node's admissions since the last, charged on the other. */
    private void exchange() {
        RateLimits ra = a.dataPlane().rateLimits();
        RateLimits rb = b.dataPlane().rateLimits();
        ra.drainUnreported("per-client", (key, n) -> rb.charge("per-client", key, n));
        rb.drainUnreported("per-client", (key, n) -> ra.charge("per-client", key, n));
    }

    private int alternate(int requests, boolean exchange) throws Exception {
        int allowed = 0;
        for (int i = 0; i < requests; i++) {
            ProxyFixture node = i % 2 == 0 ? a : b;
            if (node.get("/").statusCode() == 200) {
                allowed++;
            }
            if (exchange) {
                exchange();
            }
        }
        return allowed;
    }

    // Fed each other's counts, the two proxies let the client in 4 times in all, not 4 times each.
    @Test
    void exchangedCountsMakeOneLimitForBothProxies() throws Exception {
        assertThat(alternate(12, true)).isEqualTo(4);
        assertThat(backend.requests()).isEqualTo(4);
    }

    // Without the exchange (a partition) each proxy at its half share: 2 + 2, still the limit in all.
    @Test
    void aPartitionFallsBackToEachSidesShare() throws Exception {
        a.dataPlane().rateLimits().share("per-client", 0.5);
        b.dataPlane().rateLimits().share("per-client", 0.5);
        assertThat(alternate(12, false)).isEqualTo(4);
        assertThat(a.dataPlane().rateLimits().status().get(0)).containsEntry("share", 0.5)
                .containsEntry("allowed", 2L);
    }
}
