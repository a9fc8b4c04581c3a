package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.duet.config.DuetConfig;
import io.duet.config.Route;
import io.duet.proxy.pool.ServerState;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import io.duet.tls.KeyVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.duet.proxy.affinity.AffinityFixture.backend;
import static io.duet.proxy.affinity.AffinityFixture.config;
import static io.duet.proxy.affinity.AffinityFixture.cookie;
import static io.duet.proxy.affinity.AffinityFixture.cookieOptions;
import static io.duet.proxy.affinity.AffinityFixture.seal;
import static io.duet.proxy.affinity.AffinityFixture.setCookieValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsertCookieTest {
    private static final String NAME = "DUET_SERVER";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private StubBackend b1;
    private StubBackend b2;
    private StubBackend b3;

    @BeforeEach
    void backends() {
        b1 = StubBackend.start("b1");
        b2 = StubBackend.start("b2");
        b3 = StubBackend.start("b3");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        b1.close();
        b2.close();
        b3.close();
    }

    private ProxyFixture proxy(DuetConfig c) {
        ProxyFixture p = ProxyFixture.start(c);
        closing.add(p);
        return p;
    }

    private ProxyFixture proxy(Affinity.Cookie options, String stickyServerDown) {
        return proxy(config(cookie(options), stickyServerDown, b1, b2, b3));
    }

    // A client with the inserted cookie stays on its server over many requests; the cookie is set once, not each time.
    @Test
    void cookieSticksOverManyRequests() throws Exception {
        ProxyFixture p = proxy(cookieOptions(null, null, null, null), null);
        Set<String> first = new HashSet<>();
        for (int client = 0; client < 3; client++) {
            HttpResponse<String> r = p.get("/");
            String value = setCookieValue(r, NAME);
            assertThat(value).isNotNull();
            String server = backend(r);
            first.add(server);
            assertThat(seal("p").open(value).serverId()).isEqualTo(server);
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> again = p.get("/", "Cookie", "other=1; " + NAME + "=" + value);
                assertThat(backend(again)).isEqualTo(server);
                assertThat(again.headers().allValues("set-cookie")).isEmpty();
            }
        }
        assertThat(first).containsExactlyInAnyOrder("b1", "b2", "b3"); // fresh clients are still balanced
    }

    // The node seals the signing key at rest; the data plane opens it with its data key: a cookie issued while the
    // key was in clear still leads to its server after a restart with the sealed key, and on the pair's other node
    // (same data key, copied at join); a node with another data key refuses the document rather than sign with
    // nothing.
    @Test
    void aSealedKeySignsAsItsClearForm(@TempDir java.nio.file.Path keys) throws Exception {
        KeyVault node = KeyVault.open(keys.resolve("a"));
        KeyVault peer = KeyVault.install(keys.resolve("b"), node.exportKey());
        DuetConfig clear = config(cookie(cookieOptions(null, null, null, null)), null, b1, b2, b3);
        String sealedKey = node.sealSecret(io.duet.config.AffinityKey.decode(AffinityFixture.KEY));
        DuetConfig sealed = config(new Affinity(Affinity.COOKIE, sealedKey, cookieOptions(null, null, null, null),
                null, null, null), null, b1, b2, b3);

        ProxyFixture before = proxy(clear);
        HttpResponse<String> first = before.get("/");
        String value = setCookieValue(first, NAME);
        String server = backend(first);
        before.close();
        closing.remove(before);
        for (KeyVault k : List.of(node, peer)) {
            ProxyFixture p = ProxyFixture.start(sealed, k);
            closing.add(p);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> again = p.get("/", "Cookie", NAME + "=" + value);
                assertThat(backend(again)).isEqualTo(server);
                assertThat(again.headers().allValues("set-cookie")).isEmpty();
            }
        }
        KeyVault stranger = KeyVault.open(keys.resolve("c"));
        assertThatThrownBy(() -> closing.add(ProxyFixture.start(sealed, stranger)))
                .hasMessageContaining("signingKey does not open").hasMessageContaining("DUET-TLS-0020");
    }

    // The Set-Cookie attributes are exactly the configured ones, in a fixed order; defaults make a session cookie.
    @Test
    void cookieAttributesAsConfigured() throws Exception {
        ProxyFixture p = proxy(new Affinity.Cookie("SRV", 3600L, null, null, true, true, "Strict", "/app",
                "example.test"), null);
        HttpResponse<String> r = p.get("/app/x");
        String value = setCookieValue(r, "SRV");
        assertThat(r.headers().allValues("set-cookie")).containsExactly(
                "SRV=" + value + "; Path=/app; Domain=example.test; Max-Age=3600; Secure; HttpOnly; SameSite=Strict");

        ProxyFixture d = proxy(new Affinity.Cookie(null, null, null, null, null, false, null, null, null), null);
        HttpResponse<String> s = d.get("/");
        assertThat(s.headers().allValues("set-cookie")).containsExactly(
                NAME + "=" + setCookieValue(s, NAME) + "; Path=/; SameSite=Lax");
    }

    // Tampered, foreign-key, other-pool, unknown-server and expired cookies are ignored: a fresh pick and a new cookie.
    @Test
    void invalidCookiesGetAFreshPickAndANewCookie() throws Exception {
        ProxyFixture p = proxy(cookieOptions(null, null, 60L, 3600L), null);
        long now = System.currentTimeMillis() / 1000;
        String valid = seal("p").seal(new CookieStamp("b2", now, now, 7));
        char c = valid.charAt(0);
        String tampered = (c == 'A' ? 'B' : 'A') + valid.substring(1);
        String foreignKey = new CookieSeal(new byte[32], "p").seal(new CookieStamp("b2", now, now, 7));
        String otherPool = seal("q").seal(new CookieStamp("b2", now, now, 7));
        String unknown = seal("p").seal(new CookieStamp("b9", now, now, 7));
        String idleExpired = seal("p").seal(new CookieStamp("b2", now - 100, now - 61, 7));
        String tooOld = seal("p").seal(new CookieStamp("b2", now - 3601, now, 7));
        String garbage = "%%%...not.a.cookie";
        for (String bad : List.of(tampered, foreignKey, otherPool, unknown, idleExpired, tooOld, garbage)) {
            HttpResponse<String> r = p.get("/", "Cookie", NAME + "=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(200);
            CookieStamp fresh = seal("p").open(setCookieValue(r, NAME));
            assertThat(fresh).as(bad).isNotNull();
            assertThat(fresh.serverId()).as(bad).isEqualTo(backend(r));
            assertThat(fresh.issuedSec()).as(bad).isGreaterThanOrEqualTo(now);
        }
        // The valid one sticks to b2 with no new cookie (it was just seen).
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = p.get("/", "Cookie", NAME + "=" + valid);
            assertThat(backend(r)).isEqualTo("b2");
            assertThat(r.headers().allValues("set-cookie")).isEmpty();
        }
    }

    // The last-seen stamp is refreshed once a quarter of the idle lifetime has passed, keeping issue time and nonce.
    @Test
    void idleStampIsRefreshedOnlyWhenDue() throws Exception {
        ProxyFixture p = proxy(cookieOptions(null, null, 60L, null), null);
        long now = System.currentTimeMillis() / 1000;
        String stale = seal("p").seal(new CookieStamp("b3", now - 500, now - 20, 42));
        HttpResponse<String> r = p.get("/", "Cookie", NAME + "=" + stale);
        assertThat(backend(r)).isEqualTo("b3");
        CookieStamp refreshed = seal("p").open(setCookieValue(r, NAME));
        assertThat(refreshed.serverId()).isEqualTo("b3");
        assertThat(refreshed.issuedSec()).isEqualTo(now - 500);
        assertThat(refreshed.nonce()).isEqualTo(42);
        assertThat(refreshed.seenSec()).isGreaterThanOrEqualTo(now);

        String recent = seal("p").seal(new CookieStamp("b3", now - 500, now - 5, 42));
        HttpResponse<String> s = p.get("/", "Cookie", NAME + "=" + recent);
        assertThat(backend(s)).isEqualTo("b3");
        assertThat(s.headers().allValues("set-cookie")).isEmpty();
    }

    // Two independent data planes started from one document send the same cookie to the same server.
    @Test
    void twoNodesOneDocumentSameServer() throws Exception {
        DuetConfig doc = config(cookie(cookieOptions(null, null, 600L, null)), null, b1, b2, b3);
        ProxyFixture nodeA = proxy(doc);
        ProxyFixture nodeB = proxy(doc);
        for (int client = 0; client < 3; client++) {
            HttpResponse<String> first = nodeA.get("/");
            String value = setCookieValue(first, NAME);
            String server = backend(first);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> onB = nodeB.get("/", "Cookie", NAME + "=" + value);
                assertThat(backend(onB)).isEqualTo(server);
                assertThat(onB.headers().allValues("set-cookie")).isEmpty();
            }
        }
    }

    // Sticky server down: a redispatch route moves the client and re-issues the cookie; a fail route answers 503.
    @Test
    void stickyServerDownRedispatchOrFail() throws Exception {
        Affinity a = cookie(cookieOptions(null, null, null, null));
        ProxyFixture redispatch = proxy(config(a, Route.REDISPATCH, b1, b2, b3));
        ProxyFixture fail = proxy(config(a, Route.FAIL, b1, b2, b3));
        String toB1 = seal("p").seal(new CookieStamp("b1", System.currentTimeMillis() / 1000,
                System.currentTimeMillis() / 1000, 1));
        for (ProxyFixture f : List.of(redispatch, fail)) {
            ServerState s = f.dataPlane().serverState("p", "b1").orElseThrow();
            s.setAvailable(false);
            s.setAcceptsSticky(false);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> moved = redispatch.get("/", "Cookie", NAME + "=" + toB1);
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(backend(moved)).isIn("b2", "b3");
            assertThat(seal("p").open(setCookieValue(moved, NAME)).serverId()).isEqualTo(backend(moved));
            assertThat(seal("p").open(setCookieValue(moved, NAME)).nonce()).isEqualTo(1); // the same client
        }
        int before = b1.requests();
        HttpResponse<String> refused = fail.get("/", "Cookie", NAME + "=" + toB1, "Accept", "application/json");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"id\":\"DUET-PROXY-0503\"", "server 'b1'", "bound to");
        assertThat(refused.headers().allValues("set-cookie")).isEmpty();
        assertThat(b1.requests()).isEqualTo(before);
        // Clients without a cookie are still served on the fail route.
        assertThat(fail.get("/").statusCode()).isEqualTo(200);
    }

    // A sticky server that stopped answering (connection refused): redispatch retries elsewhere with a new cookie,
    // fail answers 503 rather than move the client.
    @Test
    void stoppedStickyServer() throws Exception {
        Affinity a = cookie(cookieOptions(null, null, null, null));
        ProxyFixture redispatch = proxy(config(a, Route.REDISPATCH, b1, b2));
        ProxyFixture fail = proxy(config(a, Route.FAIL, b1, b2));
        long now = System.currentTimeMillis() / 1000;
        String toB1 = seal("p").seal(new CookieStamp("b1", now, now, 1));
        b1.close();
        HttpResponse<String> moved = redispatch.get("/", "Cookie", NAME + "=" + toB1);
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(backend(moved)).isEqualTo("b2");
        assertThat(seal("p").open(setCookieValue(moved, NAME)).serverId()).isEqualTo("b2");
        HttpResponse<String> refused = fail.get("/", "Cookie", NAME + "=" + toB1);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("DUET-PROXY-0503", "server &#39;b1&#39;");
    }

    // A draining server (no new clients, sticky ones still accepted) keeps its cookie clients; they are counted; once
    // it stops accepting sticky clients they move.
    @Test
    void drainingServerKeepsStickyClients() throws Exception {
        ProxyFixture p = proxy(cookieOptions(null, null, null, null), null);
        long now = System.currentTimeMillis() / 1000;
        ServerState s = p.dataPlane().serverState("p", "b1").orElseThrow();
        s.setAvailable(false); // drain: acceptsSticky stays true
        for (long client = 1; client <= 3; client++) {
            String toB1 = seal("p").seal(new CookieStamp("b1", now, now, client));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = p.get("/", "Cookie", NAME + "=" + toB1);
                assertThat(backend(r)).isEqualTo("b1");
                assertThat(r.headers().allValues("set-cookie")).isEmpty();
            }
        }
        assertThat(p.dataPlane().stickyClients("p")).hasValueSatisfying(m -> assertThat(m).containsEntry("b1", 3));
        s.setAcceptsSticky(false); // drain deadline passed
        String toB1 = seal("p").seal(new CookieStamp("b1", now, now, 1));
        HttpResponse<String> r = p.get("/", "Cookie", NAME + "=" + toB1);
        assertThat(backend(r)).isIn("b2", "b3");
    }
}
