package io.duet.proxy.health;

import io.duet.config.HealthCheck;
import io.duet.config.OutlierDetection;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.health.HealthDocs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "done means": three backends under load, one killed. Route retries are 0 so every request the proxy
 * sends to the dead server is a failure the client sees; the counts are printed for the closing note.
 */
class KillOneOfThreeTest {
    static final int CLIENTS = 3;

    /** Bounded load: CLIENTS threads, each sending sequential GETs until stopped or 5000 requests. */
    private static final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger toKilled = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();

        Load(int port) {
            for (int t = 0; t < CLIENTS; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 5000 && running.get(); i++) {
                        HealthDocs.Answer a = HealthDocs.get(port, "/load");
                        if (a.status() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }, "load-" + t);
                threads.add(th);
                th.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    // Active checks: the killed server stops getting traffic within about fall x interval.
    @Test
    void activeChecksTakeTheDeadServerOut() throws Exception {
        long interval = 200;
        int fall = 3;
        HealthCheck check = HealthCheck.http("/health").withTiming(interval, 100, 2, fall);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             StubBackend c = StubBackend.start("c").body("ok c");
             ProxyFixture proxy = ProxyFixture.start(doc(1, 0, p -> p.withHealth(check, null, null, null, null),
                     List.of(), a, b, c))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().health().status("p").servers()
                    .stream().allMatch(s -> s.lastProbes().size() >= 2));
            Load load = new Load(proxy.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> load.ok.get() > 100);
            int failedBefore = load.failed.get();
            long killedAt = System.nanoTime();
            a.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.dataPlane().health().status("p").server("a")
                    .available());
            long outAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            int failedAtOut = load.failed.get();
            // Keep the load running a little: no more failures once the server is out.
            int okAtOut = load.ok.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> load.ok.get() > okAtOut + 200);
            load.stop();
            int failures = load.failed.get() - failedBefore;
            System.out.printf("DONE-MEANS active checks (interval %d ms, fall %d, timeout 100 ms, retries 0): server "
                            + "out %d ms after the kill; client failures %d (%d requests ok in total)%n", interval,
                    fall, outAfterMs, failures, load.ok.get());
            assertThat(failedBefore).isZero();
            // fall checks at +20% jitter, the timeout of the last one, and scheduling slack.
            assertThat(outAfterMs).isLessThan((long) (fall * interval * 1.2) + 100 + 300);
            assertThat(load.failed.get() - failedAtOut).as("failures after the server was out").isLessThanOrEqualTo(
                    CLIENTS); // requests already past the balancer when the state changed
        }
    }

    // Passive detection: the killed server is ejected after 5 failed requests, without active checks.
    @Test
    void passiveDetectionTakesTheDeadServerOut() throws Exception {
        OutlierDetection od = new OutlierDetection(true, 5, 30_000L, 300_000L, 50);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             StubBackend c = StubBackend.start("c").body("ok c");
             ProxyFixture proxy = ProxyFixture.start(doc(1, 0, p -> p.withHealth(null, od, null, null, null),
                     List.of(), a, b, c))) {
            Load load = new Load(proxy.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> load.ok.get() > 100);
            int failedBefore = load.failed.get();
            long killedAt = System.nanoTime();
            a.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().health().status("p").server("a")
                    .state() == HealthState.EJECTED);
            long outAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            int okAtOut = load.ok.get();
            int failedAtOut = load.failed.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> load.ok.get() > okAtOut + 200);
            load.stop();
            int failures = load.failed.get() - failedBefore;
            System.out.printf("DONE-MEANS passive detection (5 consecutive failures, retries 0): server ejected "
                    + "%d ms after the kill; client failures %d (%d requests ok in total)%n", outAfterMs, failures,
                    load.ok.get());
            assertThat(failedBefore).isZero();
            assertThat(failures).isBetween(5, 5 + CLIENTS);
            assertThat(load.failed.get() - failedAtOut).isLessThanOrEqualTo(CLIENTS);
        }
    }
}
