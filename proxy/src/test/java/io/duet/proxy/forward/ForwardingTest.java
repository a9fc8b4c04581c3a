package io.duet.proxy.forward;

import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingTest {
    private StubBackend b1;
    private StubBackend b2;
    private ProxyFixture proxy;

    @BeforeEach
    void start() {
        b1 = StubBackend.start("b1");
        b2 = StubBackend.start("b2");
        proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1, b2));
    }

    @AfterEach
    void stop() {
        proxy.close();
        b1.close();
        b2.close();
    }

    // Round robin alternates between the two servers of the pool.
    @Test
    void roundRobinAlternates() throws Exception {
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = proxy.get("/hello?x=1");
            assertThat(r.statusCode()).isEqualTo(200);
            backends.add(r.headers().firstValue("X-Backend").orElseThrow());
        }
        assertThat(backends).containsExactly("b1", "b2", "b1", "b2", "b1", "b2");
        assertThat(b1.last().uri()).isEqualTo("/hello");
        assertThat(b1.last().query()).isEqualTo("x=1");
    }

    // Client-supplied forwarding headers from an untrusted peer are replaced, never passed on.
    @Test
    void untrustedForwardingHeadersAreReplaced() throws Exception {
        proxy.get("/", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.test", "X-Forwarded-Proto", "https",
                "X-Real-IP", "6.6.6.6", "Forwarded", "for=6.6.6.6", "X-Request-Id", "forged");
        StubBackend.Seen seen = b1.last() != null ? b1.last() : b2.last();
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Host")).startsWith("127.0.0.1:");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Real-IP")).isEqualTo("127.0.0.1");
        assertThat(seen.header("Forwarded")).startsWith("for=127.0.0.1;host=").endsWith(";proto=http");
        assertThat(seen.count("X-Forwarded-For")).isEqualTo(1);
        assertThat(seen.header("X-Request-Id")).isNotEqualTo("forged").hasSize(16);
    }

    // The client's address and the port it connected to reach the server on every request of a connection (Duet
    // reads them from the socket once per connection and keeps them for its later requests).
    @Test
    void clientAddressAndListenerPortOnEveryRequest() throws Exception {
        for (int i = 0; i < 4; i++) {
            proxy.get("/", "X-Forwarded-Port", "1");
            StubBackend.Seen seen = i % 2 == 0 ? b1.last() : b2.last();
            assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
            assertThat(seen.header("X-Forwarded-Port")).isEqualTo(String.valueOf(proxy.port()));
            assertThat(seen.count("X-Forwarded-Port")).isEqualTo(1);
        }
    }

    // A trusted proxy's forwarding headers are extended and kept.
    @Test
    void trustedProxyHeadersAreExtended() throws Exception {
        DuetConfig c = ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1, b2);
        c = new DuetConfig(2L, c.listeners(), c.limits(),
                new io.duet.config.Forwarding(List.of("127.0.0.0/8"), null, null, null, null, null),
                c.accessLog(), c.virtualHosts(), c.pools());
        proxy.dataPlane().apply(c);
        HttpResponse<String> r = proxy.get("/", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
                "Forwarded", "for=203.0.113.9", "X-Request-Id", "abc-123");
        StubBackend.Seen seen = b1.last() != null ? b1.last() : b2.last();
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("Forwarded")).startsWith("for=203.0.113.9, for=127.0.0.1;");
        assertThat(seen.header("X-Request-Id")).isEqualTo("abc-123");
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue("abc-123");
    }
}
