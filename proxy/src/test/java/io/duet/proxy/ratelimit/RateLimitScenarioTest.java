package io.duet.proxy.ratelimit;

import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits through a real data plane: a real listener on port 0, a real backend, a real HTTP client. */
class RateLimitScenarioTest {
    private StubBackend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void backend() {
        backend = StubBackend.start("b");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
    }

    /** A document: a listener (with {@code listenerLimits}), routes /a, /b and the rest, the limits given. */
    private DuetConfig doc(long revision, String limits, String listenerLimits, String routeALimits,
                           String routeBLimits, String extra) {
        String yaml = """
                revision: %d
                listeners: [{name: http, address: 127.0.0.1, port: 0, rateLimits: %s}]
                rateLimits: %s
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: a, match: {path: {prefix: /a}}, pool: p, rateLimits: %s}
                      - {name: b, match: {path: {prefix: /b}}, pool: p, rateLimits: %s}
                      - {name: rest, pool: p}
                pools: [{name: p, servers: [{address: 127.0.0.1, port: %d}]}]
                %s
                """.formatted(revision, listenerLimits, limits, routeALimits, routeBLimits, backend.port(), extra);
        try {
            DuetConfig c = ConfigCodec.decode(yaml, ConfigCodec.Format.YAML);
            ConfigValidator.requireValid(c);
            return c;
        } catch (io.duet.config.InvalidConfigException e) {
            throw new AssertionError("test document is invalid: " + e.getMessage(), e);
        }
    }

    private DuetConfig routeLimits(String limits, String a, String b) {
        return doc(1, limits, "[]", a, b, "");
    }

    private Map<String, Object> status(String name) {
        return proxy.dataPlane().rateLimits().status().stream().filter(m -> m.get("name").equals(name)).findFirst()
                .orElseThrow();
    }

    // The N+1st request of a client in the period gets 429 with Retry-After; the IETF draft's headers on each.
    @Test
    void theRequestAfterTheLimitGets429WithRetryAfterAndRateLimitHeaders() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: three, requests: 3, per: minute, headers: true}]", "[three]",
                "[]"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = proxy.get("/a");
            int left = 2 - i;
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"three\";q=3;w=60");
            assertThat(ok.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("\"three\";r=" + left + ";t="));
        }
        HttpResponse<String> refused = proxy.get("/a");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("DUET-PROXY-0429");
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 20L); // one request's interval is 20 s
        assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("\"three\";r=0;t="));
        assertThat(backend.requests()).isEqualTo(3);
        assertThat(proxy.get("/b").statusCode()).as("another route has no limit").isEqualTo(200);
        assertThat(status("three")).containsEntry("allowed", 3L).containsEntry("limited", 1L);
        assertThat(proxy.dataPlane().rateLimits().top("three", 10).orElseThrow()).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("key", "127.0.0.1").containsEntry("refusals", 1L));
    }

    // A header key: each API key its own bucket; no header is not counted (missingKey: skip); the top keys show a
    // short hash of the value, never the value.
    @Test
    void aHeaderKeyCountsEachValueApartAndShowsOnlyItsHash() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: api, key: ['header:X-Api-Key'], requests: 2, per: hour}]",
                "[api]", "[]"));
        assertThat(statuses(3, "/a", "X-Api-Key", "secret-one")).containsExactly(200, 200, 429);
        assertThat(statuses(2, "/a", "X-Api-Key", "secret-two")).containsExactly(200, 200);
        assertThat(statuses(5, "/a")).containsOnly(200);
        assertThat(status("api")).containsEntry("unkeyed", 5L);
        List<Map<String, Object>> top = proxy.dataPlane().rateLimits().top("api", 10).orElseThrow();
        assertThat(top).singleElement().satisfies(t -> assertThat((String) t.get("key"))
                .matches("header:X-Api-Key=#[0-9a-f]{8}").doesNotContain("secret"));
    }

    // missingKey: shared: every request without the header shares one bucket.
    @Test
    void requestsWithoutTheKeyShareOneBucketWhenAsked() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: api, key: ['header:X-Api-Key'], requests: 2, per: hour, "
                + "missingKey: shared}]", "[api]", "[]"));
        assertThat(statuses(3, "/a")).containsExactly(200, 200, 429);
        assertThat(statuses(1, "/a", "X-Api-Key", "k")).containsExactly(200);
    }

    // A combined key (cookie and query parameter): a bucket per pair of values.
    @Test
    void aCombinedCookieAndQueryKeyCountsEachPair() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: pair, key: ['cookie:sid', 'query:api_key'], requests: 1, "
                + "per: hour}]", "[pair]", "[]"));
        assertThat(statuses(2, "/a?api_key=1", "Cookie", "theme=dark; sid=s1")).containsExactly(200, 429);
        assertThat(statuses(1, "/a?api_key=2", "Cookie", "sid=s1")).containsExactly(200);
        assertThat(statuses(1, "/a?api_key=1", "Cookie", "sid=s2")).containsExactly(200);
        assertThat(statuses(1, "/a?x=1&api_key=1", "Cookie", "sid=\"s1\"")).as("the same pair, quoted")
                .containsExactly(429);
    }

    // A route key: one limit named by two routes counts each route apart.
    @Test
    void aRouteKeyCountsEachRouteApart() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: per-route, key: [route], requests: 1, per: hour}]",
                "[per-route]", "[per-route]"));
        assertThat(statuses(2, "/a")).containsExactly(200, 429);
        assertThat(statuses(2, "/b")).containsExactly(200, 429);
    }

    // The client address is the real one: behind a trusted proxy, X-Forwarded-For's last untrusted hop.
    @Test
    void behindATrustedProxyTheClientIsTheForwardedOne() throws Exception {
        proxy = ProxyFixture.start(doc(1, "[{name: c, requests: 1, per: hour}]", "[]", "[c]", "[]",
                "forwarding: {trustedProxies: [127.0.0.1, 10.9.0.0/16]}"));
        assertThat(statuses(2, "/a", "X-Forwarded-For", "198.51.100.7, 10.9.0.1")).containsExactly(200, 429);
        assertThat(statuses(1, "/a", "X-Forwarded-For", "198.51.100.8")).containsExactly(200);
        assertThat(proxy.dataPlane().rateLimits().top("c", 10).orElseThrow()).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("key", "198.51.100.7"));
    }

    // A listener's limit runs before routing and counts every request; a route's only that route's.
    @Test
    void listenerLimitsCountEveryRouteAndRouteLimitsTheirOwn() throws Exception {
        proxy = ProxyFixture.start(doc(1, "[{name: edge, requests: 3, per: hour}, {name: one, requests: 1, "
                + "per: hour}]", "[edge]", "[one]", "[]", ""));
        assertThat(statuses(2, "/a")).containsExactly(200, 429); // the route's limit
        assertThat(statuses(2, "/b")).containsExactly(200, 429); // the listener's: its 3 are used up
        assertThat(statuses(1, "/nowhere")).containsExactly(429);
        assertThat(status("one")).containsEntry("allowed", 1L).containsEntry("limited", 1L);
        assertThat(status("edge")).containsEntry("allowed", 3L).containsEntry("limited", 2L);
    }

    // delay: a request over the rate waits on a timer and is served; one that would wait past maxDelayMs gets 429.
    @Test
    void delayHoldsWithinTheBoundAndRejectsBeyondIt() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: slow, requests: 2, per: second, burst: 1, action: delay, "
                + "maxDelayMs: 800}]", "[slow]", "[]"));
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/a?i=" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> codes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            codes.add(f.get().statusCode());
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // Intervals of 500 ms: the first now, the second after 500 ms, the third would wait 1000 ms > 800.
        assertThat(codes).containsExactlyInAnyOrder(200, 200, 429);
        assertThat(tookMs).as("the delayed one was held about one interval").isGreaterThanOrEqualTo(400);
        assertThat(status("slow")).containsEntry("allowed", 1L).containsEntry("delayed", 1L)
                .containsEntry("limited", 1L);
        assertThat(backend.requests()).isEqualTo(2);
        StringBuilder text = new StringBuilder();
        io.duet.proxy.metrics.PrometheusTextWriter.write(proxy.dataPlane().metrics(), text);
        assertThat(text.toString()).contains("# HELP duet_rate_limit_requests_total ",
                "duet_rate_limit_requests_total{limit=\"slow\",outcome=\"allowed\"} 1\n",
                "duet_rate_limit_requests_total{limit=\"slow\",outcome=\"delayed\"} 1\n",
                "duet_rate_limit_requests_total{limit=\"slow\",outcome=\"limited\"} 1\n");
    }

    // concurrent: a client's third request while two are in flight is refused at once; once they end, it may again.
    @Test
    void concurrentRefusesWhileTheKeyHasTheMostInFlight() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        backend.handler(ex -> ex.dispatch(() -> {
            try {
                if (ex.getQueryString().contains("held")) {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseSender().send("done");
        }));
        proxy = ProxyFixture.start(routeLimits("[{name: two, concurrent: 2}]", "[two]", "[]"));
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/a?held=" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> status("two").get("inFlight").equals(2L));
        HttpResponse<String> third = proxy.get("/a?third");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(proxy.get("/b").statusCode()).as("another route").isEqualTo(200);
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> status("two").get("inFlight").equals(0L));
        assertThat(proxy.get("/a?after").statusCode()).isEqualTo(200);
        assertThat(status("two")).containsEntry("limited", 1L).containsEntry("allowed", 3L);
    }

    // A table at its bound evicts: 200 distinct keys in a table for 12 (16 slots) keep it at 16, all served.
    @Test
    void theTableStaysAtItsBoundAndEvicts() throws Exception {
        proxy = ProxyFixture.start(routeLimits("[{name: small, key: ['header:X-Key'], requests: 5, per: hour, "
                + "maxKeys: 12}]", "[small]", "[]"));
        for (int i = 0; i < 200; i++) {
            assertThat(proxy.get("/a", "X-Key", "k" + i).statusCode()).isEqualTo(200);
        }
        Map<String, Object> s = status("small");
        assertThat((Integer) s.get("keys")).isLessThanOrEqualTo(16);
        assertThat((Long) s.get("evictions")).isGreaterThanOrEqualTo(184L);
    }

    // A rule change is a reload like any other: applied, never refused; a raised limit lets the client in at once.
    @Test
    void aRuleChangeAppliesWithoutAFailedReload() throws Exception {
        proxy = ProxyFixture.start(doc(1, "[{name: c, requests: 1, per: hour}]", "[]", "[c]", "[]", ""));
        assertThat(statuses(2, "/a")).containsExactly(200, 429);
        proxy.dataPlane().apply(doc(2, "[{name: c, requests: 100, per: hour}]", "[]", "[c]", "[]", ""));
        assertThat(proxy.dataPlane().revision()).isEqualTo(2);
        assertThat(statuses(3, "/a")).containsOnly(200);
        // The status changes, not the rate: the same keys, the new answer.
        proxy.dataPlane().apply(doc(3, "[{name: c, requests: 100, per: hour, status: 503}]", "[]", "[c]", "[]", ""));
        assertThat(statuses(97, "/a")).containsOnly(200); // 3 + 97: the burst of 100
        assertThat(statuses(1, "/a")).containsExactly(503);
        assertThat(status("c")).as("metrics outlive reloads").containsEntry("allowed", 101L);
        proxy.dataPlane().apply(doc(4, "[]", "[]", "[]", "[]", ""));
        assertThat(proxy.dataPlane().rateLimits().status()).isEmpty();
        assertThat(statuses(3, "/a")).containsOnly(200);
    }

    private List<Integer> statuses(int n, String path, String... headers) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(proxy.get(path, headers).statusCode());
        }
        return out;
    }
}
