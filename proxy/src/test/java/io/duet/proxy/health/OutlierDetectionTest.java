package io.duet.proxy.health;

import io.duet.config.OutlierDetection;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.duet.proxy.health.HealthDocs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutlierDetectionTest {

    private static ServerHealthStatus status(ProxyFixture proxy, String server) {
        return proxy.dataPlane().health().status("p").server(server);
    }

    // Five 5xx in a row eject the server; the next ejection of the same server lasts twice as long.
    @Test
    void consecutive5xxEjectAndTheEjectionGrows() throws Exception {
        OutlierDetection od = new OutlierDetection(true, 5, 300L, 10_000L, 50);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(null, od, null, null, null), a, b))) {
            a.mode(StubBackend.Mode.ERROR);
            int errors = 0;
            for (int i = 0; i < 10 && status(proxy, "a").state() != HealthState.EJECTED; i++) {
                errors += HealthDocs.get(proxy.port(), "/x").status() == 500 ? 1 : 0;
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> status(proxy, "a").state() == HealthState.EJECTED);
            assertThat(errors).isEqualTo(5);
            assertThat(status(proxy, "a").reason()).contains("ejected for 300 ms (ejection x1)");
            for (int i = 0; i < 4; i++) {
                assertThat(HealthDocs.get(proxy.port(), "/x").backend()).isEqualTo("b");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> status(proxy, "a").state() == HealthState.UP);
            // Fails again at once: ejected again, for 2 x 300 ms.
            for (int i = 0; i < 20 && status(proxy, "a").state() != HealthState.EJECTED; i++) {
                HealthDocs.get(proxy.port(), "/x");
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> status(proxy, "a").state() == HealthState.EJECTED);
            assertThat(status(proxy, "a").reason()).contains("ejected for 600 ms (ejection x2)");
            assertThat(status(proxy, "a").ejections()).isEqualTo(2);
            assertThat(proxy.dataPlane().metrics().getCounters().get(
                    "duet_server_ejections_total{pool=\"p\",server=\"a\"}").getCount()).isEqualTo(2);
        }
    }

    // Connect failures count as failures too: a server that stops listening is ejected.
    @Test
    void connectFailuresEject() throws Exception {
        OutlierDetection od = new OutlierDetection(true, 3, 60_000L, 60_000L, 50);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(null, od, null, null, null), a, b))) {
            a.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                assertThat(HealthDocs.get(proxy.port(), "/x").status()).isEqualTo(200); // retried on b
                return status(proxy, "a").state() == HealthState.EJECTED;
            });
            assertThat(status(proxy, "a").reason()).startsWith("3 consecutive failed requests");
        }
    }

    // Never more than maxEjectionPercent of the pool is ejected: with two failing servers and 50%, one stays.
    @Test
    void maxEjectionShare() throws Exception {
        OutlierDetection od = new OutlierDetection(true, 2, 60_000L, 60_000L, 50);
        try (StubBackend a = StubBackend.start("a").body("ok a"); StubBackend b = StubBackend.start("b").body("ok b");
             ProxyFixture proxy = ProxyFixture.start(doc(p -> p.withHealth(null, od, null, null, null), a, b))) {
            a.mode(StubBackend.Mode.ERROR);
            b.mode(StubBackend.Mode.ERROR);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                HealthDocs.get(proxy.port(), "/x");
                return status(proxy, "a").state() == HealthState.EJECTED
                        || status(proxy, "b").state() == HealthState.EJECTED;
            });
            for (int i = 0; i < 10; i++) {
                assertThat(HealthDocs.get(proxy.port(), "/x").status()).isEqualTo(500);
            }
            long ejected = proxy.dataPlane().health().status("p").servers().stream()
                    .filter(s -> s.state() == HealthState.EJECTED).count();
            assertThat(ejected).isEqualTo(1);
        }
    }
}
