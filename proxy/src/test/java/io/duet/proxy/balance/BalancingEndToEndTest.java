package io.duet.proxy.balance;

import io.duet.config.DuetConfig;
import io.duet.config.HashKey;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Balancers through a real data plane and real backends. */
class BalancingEndToEndTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private StubBackend backend(String name) {
        StubBackend b = StubBackend.start(name);
        closing.add(b);
        return b;
    }

    private ProxyFixture proxy(String balancer, HashKey key, StubBackend... backends) {
        List<Server> servers = new ArrayList<>();
        for (StubBackend b : backends) {
            servers.add(new Server(b.name(), "127.0.0.1", b.port(), null, null));
        }
        DuetConfig config = new DuetConfig(1L, List.of(new Listener("http", "127.0.0.1", 0)), null, null, null,
                List.of(new VirtualHost("default", List.of("example.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", balancer, servers).withHashKey(key)));
        ProxyFixture proxy = ProxyFixture.start(config);
        closing.add(proxy);
        return proxy;
    }

    // hash by header: every request of one user reaches one backend, and the users spread over all three.
    @Test
    void hashByHeaderPinsEachUser() throws Exception {
        StubBackend a = backend("a");
        StubBackend b = backend("b");
        StubBackend c = backend("c");
        ProxyFixture proxy = proxy("hash", new HashKey(HashKey.HEADER, "X-User"), a, b, c);
        Map<String, Set<String>> seen = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int u = 0; u < 30; u++) {
                HttpResponse<String> r = proxy.get("/page/" + round, "X-User", "user-" + u);
                assertThat(r.statusCode()).isEqualTo(200);
                seen.computeIfAbsent("user-" + u, k -> new HashSet<>()).add(r.headers().firstValue("X-Backend").orElseThrow());
            }
        }
        assertThat(seen.values()).allSatisfy(backends -> assertThat(backends).hasSize(1));
        assertThat(seen.values().stream().flatMap(Set::stream).distinct()).containsExactlyInAnyOrder("a", "b", "c");
    }

    // least-connections steers away from a backend that holds its requests: once it holds one, the rest go to
    // the backend that answers (round robin would have sent it every other request).
    @Test
    void leastConnectionsAvoidsSlowBackend() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StubBackend slow = backend("slow").handler(ex -> {
            release.await(30, TimeUnit.SECONDS);
            ex.getResponseSender().send("late");
        });
        StubBackend fast = backend("fast");
        ProxyFixture proxy = proxy("least-connections", null, slow, fast);
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<HttpResponse<String>> f = proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/r" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            int before = slow.requests();
            // Each request either completes at the fast backend or is held by the slow one.
            await().atMost(Duration.ofSeconds(10)).until(() -> f.isDone() || slow.requests() > before);
            if (!f.isDone()) {
                held.add(f);
            }
        }
        assertThat(slow.requests()).isBetween(1, 3);
        assertThat(fast.requests()).isEqualTo(20 - slow.requests());
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    // least-response-time learns from response heads (the forwarder's latency hook): after probing both, it
    // sends nearly everything to the backend that answers in 1 ms rather than the one that takes 150 ms.
    @Test
    void leastResponseTimeLearnsLatency() throws Exception {
        StubBackend slow = backend("slow").handler(this::answerLater);
        StubBackend fast = backend("fast");
        ProxyFixture proxy = proxy("least-response-time", null, slow, fast);
        for (int i = 0; i < 30; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
        }
        assertThat(slow.requests()).isBetween(1, 3);
        assertThat(fast.requests()).isGreaterThanOrEqualTo(27);
    }

    /** Answers after 150 ms without holding a thread (a scheduled send, not a sleep). */
    private void answerLater(HttpServerExchange ex) {
        ex.dispatch(() -> scheduler.schedule(() -> ex.getResponseSender().send("slow"), 150, TimeUnit.MILLISECONDS));
    }
}
