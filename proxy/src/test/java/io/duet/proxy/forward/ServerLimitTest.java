package io.duet.proxy.forward;

import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.ServerLimit;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * serverLimit, as HAProxy's maxconn and timeout queue: a server never has more requests in flight than its limit; a
 * request that finds every server full waits in the pool's queue for the first freed slot, and gets 503 with the
 * stable id when the queue is full or its wait times out. Real backends that hold requests until released.
 */
class ServerLimitTest {
    private final Closer closer = new Closer();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        closer.close();
    }

    private StubBackend holding(String name) {
        return closer.track(StubBackend.start(name)).handler(ex -> {
            release.await(30, TimeUnit.SECONDS);
            ex.getResponseSender().send(name);
        });
    }

    private ProxyFixture proxy(ServerLimit limit, StubBackend... backends) {
        DuetConfig c = ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, backends);
        Pool p = c.pools().get(0).withServerLimit(limit);
        return closer.track(ProxyFixture.start(new DuetConfig(c.revision(), c.listeners(), c.limits(), c.forwarding(),
                c.accessLog(), c.virtualHosts(), List.of(p))));
    }

    private static long counter(ProxyFixture proxy, String family) {
        return proxy.dataPlane().metrics().getCounters().get(family + "{pool=\"p\"}").getCount();
    }

    private static CompletableFuture<HttpResponse<String>> send(ProxyFixture proxy, String path) {
        return proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // Two servers at one request each: the third request waits for the first freed slot, the fourth finds the queue
    // (of one) full and gets 503 at once; released, every queued request is served and no server ever held two.
    @Test
    void requestsQueueForTheFirstFreedSlotAndAFullQueueGets503() throws Exception {
        StubBackend a = holding("a");
        StubBackend b = holding("b");
        ProxyFixture proxy = proxy(new ServerLimit(1, 1, 10_000L), a, b);
        CompletableFuture<HttpResponse<String>> r1 = send(proxy, "/1");
        CompletableFuture<HttpResponse<String>> r2 = send(proxy, "/2");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.requests() == 1 && b.requests() == 1);
        CompletableFuture<HttpResponse<String>> r3 = send(proxy, "/3");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().queuedRequests("p").orElse(0) == 1);
        HttpResponse<String> r4 = send(proxy, "/4").get(10, TimeUnit.SECONDS);
        assertThat(r4.statusCode()).isEqualTo(503);
        assertThat(r4.body()).contains("DUET-PROXY-0503").contains("queue is full");
        assertThat(a.requests() + b.requests()).isEqualTo(2);
        assertThat(r3).isNotDone();
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> r : List.of(r1, r2, r3)) {
            assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(a.requests() + b.requests()).isEqualTo(3);
        assertThat(proxy.dataPlane().queuedRequests("p")).hasValue(0);
        assertThat(counter(proxy, "duet_pool_queued_total")).isEqualTo(1);
        assertThat(counter(proxy, "duet_pool_queue_full_total")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().serverState("p", "a").orElseThrow()
                .active().get() == 0 && proxy.dataPlane().serverState("p", "b").orElseThrow().active().get() == 0);
    }

    // A request that waits longer than queueTimeoutMs gets 503 with the stable id; the held one is still served.
    @Test
    void queueTimeoutGives503() throws Exception {
        StubBackend a = holding("a");
        ProxyFixture proxy = proxy(new ServerLimit(1, 10, 300L), a);
        CompletableFuture<HttpResponse<String>> held = send(proxy, "/held");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.requests() == 1);
        long start = System.nanoTime();
        HttpResponse<String> waited = send(proxy, "/waits").get(10, TimeUnit.SECONDS);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(waited.body()).contains("DUET-PROXY-0503").contains("queue timeout");
        assertThat(waitedMs).isGreaterThanOrEqualTo(250);
        assertThat(proxy.dataPlane().queuedRequests("p")).hasValue(0);
        assertThat(a.requests()).isEqualTo(1);
        assertThat(counter(proxy, "duet_pool_queue_timeouts_total")).isEqualTo(1);
        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
