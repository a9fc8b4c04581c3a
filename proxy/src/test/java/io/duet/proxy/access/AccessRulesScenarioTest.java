package io.duet.proxy.access;

import io.duet.proxy.DataPlane;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.access.AccessFixture.doc;
import static io.duet.proxy.access.AccessFixture.get;
import static io.duet.proxy.access.AccessFixture.listenerCount;
import static io.duet.proxy.access.AccessFixture.routeCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access rules end to end: a real data plane on port 0, real stub backends, clients from distinct loopback
 * addresses (127.0.0.x) and from ::1.
 */
class AccessRulesScenarioTest {
    private StubBackend a;
    private StubBackend b;
    private ProxyFixture proxy;

    @BeforeEach
    void backends() {
        a = StubBackend.start("a");
        b = StubBackend.start("b");
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        a.close();
        b.close();
    }

    private String pools() {
        return "pools:\n  - {name: pa, servers: [{address: 127.0.0.1, port: " + a.port() + "}]}\n"
                + "  - {name: pb, servers: [{address: 127.0.0.1, port: " + b.port() + "}]}\n";
    }

    private InetSocketAddress at() {
        return proxy.dataPlane().address("http");
    }

    // The listener's rule runs before routing: a refused client gets 403 even where no route matches (not 404),
    // and an allowed one reaches routing; both are counted.
    @Test
    void listenerRuleRunsBeforeRouting() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0, access: {deny: [127.0.0.2]}}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, match: {path: {prefix: /app}}, pool: pa}]}]
                """ + pools()));
        RawHttp.Response refused = get("127.0.0.2", at(), "/nowhere");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("DUET-PROXY-0403");
        assertThat(get("127.0.0.2", at(), "/app").status()).isEqualTo(403);
        assertThat(get("127.0.0.3", at(), "/nowhere").status()).isEqualTo(404);
        assertThat(get("127.0.0.3", at(), "/app").header("X-Backend")).isEqualTo("a");
        assertThat(a.seen()).hasSize(1);
        assertThat(listenerCount(proxy.dataPlane(), "http", "denied")).isEqualTo(2);
        assertThat(listenerCount(proxy.dataPlane(), "http", "allowed")).isEqualTo(2);
    }

    // A route's rule: only the office list may use /admin, and deny wins over allow for a client in both;
    // the refusal keeps the connection open like Duet's other 4xx answers; other routes are untouched.
    @Test
    void routeRuleAllowListAndDenyWins() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                addressLists: [{name: office, addresses: [127.0.0.0/29]}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: admin, match: {path: {prefix: /admin}}, pool: pa, access: {allow: [office], deny: [127.0.0.3]}}
                      - {name: rest, pool: pb}
                """ + pools()));
        assertThat(get("127.0.0.2", at(), "/admin").header("X-Backend")).isEqualTo("a");
        assertThat(get("127.0.0.3", at(), "/admin").status()).isEqualTo(403);
        assertThat(get("127.0.0.9", at(), "/admin").status()).isEqualTo(403);
        assertThat(get("127.0.0.9", at(), "/other").header("X-Backend")).isEqualTo("b");
        try (RawHttp c = AccessFixture.from("127.0.0.9", at())) {
            c.send("GET /admin HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(403);
            c.send("GET /other HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(c.readResponse().header("X-Backend")).isEqualTo("b");
        }
        DataPlane dp = proxy.dataPlane();
        assertThat(routeCount(dp, "v", "admin", "allowed")).isEqualTo(1);
        assertThat(routeCount(dp, "v", "admin", "denied")).isEqualTo(3);
        assertThat(routeCount(dp, "v", "admin", "tarpitted")).isZero();
    }

    // match.sources ANDs with the other matchers: only POST from 127.0.0.2 takes route 'app'; everything else
    // falls through to the next route.
    @Test
    void sourcesCombineWithOtherMatchers() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: app, match: {path: {prefix: /app}, methods: [POST], sources: [127.0.0.2/32]}, pool: pa}
                      - {name: rest, pool: pb}
                """ + pools()));
        assertThat(post("127.0.0.2", "/app").header("X-Backend")).isEqualTo("a");
        assertThat(get("127.0.0.2", at(), "/app").header("X-Backend")).isEqualTo("b");
        assertThat(post("127.0.0.3", "/app").header("X-Backend")).isEqualTo("b");
        assertThat(post("127.0.0.2", "/other").header("X-Backend")).isEqualTo("b");
    }

    private RawHttp.Response post(String source, String path) {
        try (RawHttp c = AccessFixture.from(source, at())) {
            c.send("POST " + path + " HTTP/1.1\r\nHost: a.test\r\nContent-Length: 2\r\n\r\nhi");
            return c.readResponse();
        }
    }

    // IPv6: a listener on ::1; a rule denying ::1 refuses it, sources [::1] routes it, and an IPv4 entry never
    // matches an IPv6 client.
    @Test
    void ipv6Rules() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: '::1', port: 0}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: blocked, match: {path: {prefix: /blocked}}, pool: pa, access: {deny: ['::1/128']}}
                      - {name: v4only, match: {path: {prefix: /v4}}, pool: pa, access: {allow: [127.0.0.0/8]}}
                      - {name: mine, match: {sources: ['::1']}, pool: pa}
                      - {name: rest, pool: pb}
                """ + pools()));
        assertThat(get("::1", at(), "/blocked").status()).isEqualTo(403);
        assertThat(get("::1", at(), "/v4").status()).isEqualTo(403);
        assertThat(get("::1", at(), "/x").header("X-Backend")).isEqualTo("a");
    }

    // Redirect: a refused client is sent to the location (placeholders filled), 302 by default or the status given.
    @Test
    void redirectSendsRefusedClientsAway() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - name: login
                        match: {path: {prefix: /login}}
                        pool: pa
                        access: {allow: [127.0.0.2], action: redirect, location: 'https://sso.example{path}'}
                      - name: moved
                        match: {path: {prefix: /moved}}
                        pool: pa
                        access: {deny: [127.0.0.3], action: redirect, status: 308, location: /elsewhere}
                """ + pools()));
        RawHttp.Response r = get("127.0.0.3", at(), "/login/x");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("https://sso.example/login/x");
        assertThat(get("127.0.0.2", at(), "/login/x").header("X-Backend")).isEqualTo("a");
        RawHttp.Response moved = get("127.0.0.3", at(), "/moved");
        assertThat(moved.status()).isEqualTo(308);
        assertThat(moved.header("Location")).isEqualTo("/elsewhere");
        assertThat(a.seen()).hasSize(1);
        assertThat(routeCount(proxy.dataPlane(), "v", "login", "denied")).isEqualTo(1);
    }

    // A list of 5000 entries: the addresses at the edges of its blocks are allowed, their neighbours refused.
    @Test
    void aListOfThousandsOfEntries() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 4998; i++) {
            list.append("'10.").append(i / 250).append('.').append(i % 250).append(".0/24', ");
        }
        list.append("127.0.0.4/31, '2001:db8::/32'");
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                addressLists: [{name: big, addresses: [%s]}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: pa, access: {allow: [big]}}]}]
                """.formatted(list) + pools()));
        assertThat(get("127.0.0.4", at(), "/").status()).isEqualTo(200);
        assertThat(get("127.0.0.5", at(), "/").status()).isEqualTo(200);
        assertThat(get("127.0.0.3", at(), "/").status()).isEqualTo(403);
        assertThat(get("127.0.0.6", at(), "/").status()).isEqualTo(403);
    }

    // A rule changed by a new revision applies to the next request without a failed reload, while a request in
    // flight on the old revision finishes normally.
    @Test
    void ruleChangeAppliesWithoutFailedReload() throws Exception {
        String before = """
                revision: 1
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: pa, access: {deny: [127.0.0.3]}}]}]
                """ + pools();
        proxy = ProxyFixture.start(doc(before));
        assertThat(get("127.0.0.2", at(), "/").status()).isEqualTo(200);
        a.mode(StubBackend.Mode.SLOW).slowMs(1500);
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(
                () -> get("127.0.0.2", at(), "/slow"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> a.seen().size() == 2);
        proxy.dataPlane().apply(doc(before.replace("revision: 1", "revision: 2")
                .replace("deny: [127.0.0.3]", "deny: [127.0.0.2]")));
        assertThat(proxy.dataPlane().revision()).isEqualTo(2);
        assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        a.mode(StubBackend.Mode.OK);
        assertThat(get("127.0.0.2", at(), "/").status()).isEqualTo(403);
        assertThat(get("127.0.0.3", at(), "/").status()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (String src : new String[] {"127.0.0.2", "127.0.0.3"}) {
            statuses.add(get(src, at(), "/").status());
        }
        assertThat(statuses).containsExactly(403, 200);
    }
}
