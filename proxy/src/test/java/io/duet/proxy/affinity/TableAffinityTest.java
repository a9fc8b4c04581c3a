package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.duet.config.DuetConfig;
import io.duet.config.Route;
import io.duet.proxy.pool.ServerState;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.affinity.AffinityFixture.backend;
import static io.duet.proxy.affinity.AffinityFixture.backendFrom;
import static io.duet.proxy.affinity.AffinityFixture.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Learn, source and header affinity: the modes that bind clients in a table (or a jvmRoute suffix). */
class TableAffinityTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private StubBackend b1;
    private StubBackend b2;

    @BeforeEach
    void backends() {
        b1 = StubBackend.start("b1");
        b2 = StubBackend.start("b2");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        b1.close();
        b2.close();
    }

    private ProxyFixture proxy(DuetConfig c) {
        ProxyFixture p = ProxyFixture.start(c);
        closing.add(p);
        return p;
    }

    /** A backend that starts a session (JSESSIONID=s<n>, with the jvmRoute suffix when given) unless one exists. */
    private void sessionBackend(StubBackend b, String jvmRoute) {
        b.handler(ex -> {
            String cookie = ex.getRequestHeaders().getFirst(Headers.COOKIE);
            if (ex.getRequestPath().equals("/logout")) {
                ex.getResponseHeaders().add(Headers.SET_COOKIE, "JSESSIONID=; Path=/; Max-Age=0");
            } else if (cookie == null || !cookie.contains("JSESSIONID=")) {
                String id = "s" + sessions.incrementAndGet() + (jvmRoute == null ? "" : "." + jvmRoute);
                ex.getResponseHeaders().add(Headers.SET_COOKIE, "JSESSIONID=" + id + "; Path=/; HttpOnly");
            }
            ex.getResponseSender().send(b.name(), StandardCharsets.UTF_8);
        });
    }

    private static Affinity learn(Affinity.Learn options) {
        return new Affinity(Affinity.LEARN, null, null, options, null, null);
    }

    private static String session(HttpResponse<String> r) {
        return AffinityFixture.setCookieValue(r, "JSESSIONID");
    }

    // Learn mode: the session id a server sets is learned, and the client with it stays on that server; ending the
    // session (a deleting Set-Cookie) forgets it. Sticky clients are counted per server.
    @Test
    void learnsJsessionIdFromSetCookie() throws Exception {
        sessionBackend(b1, null);
        sessionBackend(b2, null);
        ProxyFixture p = proxy(config(learn(null), null, b1, b2));
        HttpResponse<String> one = p.get("/");
        HttpResponse<String> two = p.get("/");
        assertThat(List.of(backend(one), backend(two))).containsExactlyInAnyOrder("b1", "b2");
        for (int i = 0; i < 10; i++) {
            assertThat(backend(p.get("/", "Cookie", "JSESSIONID=" + session(one)))).isEqualTo(backend(one));
            assertThat(backend(p.get("/", "Cookie", "a=b; JSESSIONID=" + session(two)))).isEqualTo(backend(two));
        }
        assertThat(p.dataPlane().stickyClients("p")).hasValue(Map.of("b1", 1, "b2", 1));
        p.get("/logout", "Cookie", "JSESSIONID=" + session(one));
        assertThat(p.dataPlane().stickyClients("p").orElseThrow()).containsEntry(backend(one), 0);
    }

    // Learn mode, jvmRoute form: the suffix names the server (its id, or a configured route), with no table, so a
    // value no node has seen before still goes to its server, on every node.
    @Test
    void jvmRouteSuffixNeedsNoTable() throws Exception {
        sessionBackend(b1, "node1");
        sessionBackend(b2, "b2");
        DuetConfig doc = config(learn(new Affinity.Learn(null, null,
                List.of(new Affinity.JvmRoute("node1", "b1")), null, null)), null, b1, b2);
        ProxyFixture nodeA = proxy(doc);
        ProxyFixture nodeB = proxy(doc);
        for (ProxyFixture p : List.of(nodeA, nodeB)) {
            for (int i = 0; i < 5; i++) {
                assertThat(backend(p.get("/", "Cookie", "JSESSIONID=never-seen-" + i + ".node1"))).isEqualTo("b1");
                assertThat(backend(p.get("/", "Cookie", "JSESSIONID=never-seen-" + i + ".b2"))).isEqualTo("b2");
            }
        }
        // A value issued through node A is honoured by node B from its suffix alone.
        HttpResponse<String> first = nodeA.get("/");
        String id = session(first);
        assertThat(id).endsWith(backend(first).equals("b1") ? ".node1" : ".b2");
        for (int i = 0; i < 5; i++) {
            assertThat(backend(nodeB.get("/", "Cookie", "JSESSIONID=" + id))).isEqualTo(backend(first));
        }
    }

    // Learn mode, server down: redispatch moves the session to another server (and the table follows it).
    @Test
    void learnedSessionRedispatchedWhenItsServerIsDown() throws Exception {
        sessionBackend(b1, null);
        sessionBackend(b2, null);
        ProxyFixture p = proxy(config(learn(null), Route.REDISPATCH, b1, b2));
        HttpResponse<String> first = p.get("/");
        String home = backend(first);
        String other = home.equals("b1") ? "b2" : "b1";
        ServerState s = p.dataPlane().serverState("p", home).orElseThrow();
        s.setAvailable(false);
        s.setAcceptsSticky(false);
        for (int i = 0; i < 4; i++) {
            assertThat(backend(p.get("/", "Cookie", "JSESSIONID=" + session(first)))).isEqualTo(other);
        }
        assertThat(p.dataPlane().stickyClients("p").orElseThrow()).containsEntry(other, 1).containsEntry(home, 0);
    }

    // Source persistence: each client address stays on its server while it keeps coming; after the timeout without
    // requests the binding is gone and the next request is a fresh pick.
    @Test
    void sourceAddressPersistenceAndTimeout() throws Exception {
        ProxyFixture p = proxy(config(new Affinity(Affinity.SOURCE, null, null, null,
                new Affinity.Source(300L, null), null), null, b1, b2));
        int port = p.port();
        String a = backendFrom("127.0.0.2", port);
        String b = backendFrom("127.0.0.3", port);
        assertThat(List.of(a, b)).containsExactly("b1", "b2"); // round robin for the two fresh clients
        for (int i = 0; i < 6; i++) {
            assertThat(backendFrom("127.0.0.2", port)).isEqualTo("b1");
            assertThat(backendFrom("127.0.0.3", port)).isEqualTo("b2");
        }
        assertThat(p.dataPlane().stickyClients("p")).hasValue(Map.of("b1", 1, "b2", 1));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> p.dataPlane().stickyClients("p").orElseThrow().values().stream().allMatch(n -> n == 0));
        // Round robin's next fresh pick is b1: the client that was on b2 moves, so it really was a fresh pick.
        assertThat(backendFrom("127.0.0.3", port)).isEqualTo("b1");
    }

    // Header persistence: requests with the same header value stay together; without the header, plain balancing.
    @Test
    void headerPersistence() throws Exception {
        ProxyFixture p = proxy(config(new Affinity(Affinity.HEADER, null, null, null, null,
                new Affinity.Header("X-Tenant", null, null)), null, b1, b2));
        String acme = backend(p.get("/", "X-Tenant", "acme"));
        String zeta = backend(p.get("/", "X-Tenant", "zeta"));
        assertThat(List.of(acme, zeta)).containsExactlyInAnyOrder("b1", "b2");
        List<String> anonymous = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            assertThat(backend(p.get("/", "X-Tenant", "acme"))).isEqualTo(acme);
            assertThat(backend(p.get("/", "x-tenant", "zeta"))).isEqualTo(zeta);
            anonymous.add(backend(p.get("/")));
        }
        assertThat(anonymous).contains("b1", "b2");
        assertThat(p.dataPlane().stickyClients("p")).hasValue(Map.of("b1", 1, "b2", 1));
    }

    // A draining server (available false, acceptsSticky true) keeps its source-persistent clients, and counts them.
    @Test
    void drainingServerKeepsSourceClients() throws Exception {
        ProxyFixture p = proxy(config(new Affinity(Affinity.SOURCE, null, null, null, null, null), null, b1, b2));
        int port = p.port();
        assertThat(backendFrom("127.0.0.2", port)).isEqualTo("b1");
        p.dataPlane().serverState("p", "b1").orElseThrow().setAvailable(false);
        for (int i = 0; i < 5; i++) {
            assertThat(backendFrom("127.0.0.2", port)).isEqualTo("b1");
        }
        assertThat(p.dataPlane().stickyClients("p").orElseThrow()).containsEntry("b1", 1);
        assertThat(p.dataPlane().stickyClients("nope")).isEmpty();
    }
}
