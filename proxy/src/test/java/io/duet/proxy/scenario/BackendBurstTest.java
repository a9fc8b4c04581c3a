package io.duet.proxy.scenario;

import io.duet.config.Pool;
import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bursts of concurrent requests larger than the pool's {@code maxConnectionsPerServer}: the backend connections a
 * burst opened are kept for the next burst instead of being closed as each request ends (HTTP/2 clients with 100
 * streams make such bursts all the time: closing and reopening cost more than the requests), and the surplus above
 * the limit is closed once it has stayed idle for {@code ServerConnections.SURPLUS_IDLE}.
 */
class BackendBurstTest {
    private static final int BURST = 4;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void connectionsOfABurstServeTheNextBurstAndTheSurplusClosesWhenIdle() throws Exception {
        // Every request waits until the whole burst reached the backend: each holds its own backend connection.
        CyclicBarrier together = new CyclicBarrier(BURST);
        RawBackend b = closer.track(RawBackend.start("b", (req, ex) -> {
            try {
                together.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the burst did not arrive together", e);
            }
            ex.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }));
        Pool pool = new Pool("p", Pool.ROUND_ROBIN, List.of(server("b", b.port())), null, 1);
        ProxyFixture proxy = closer.track(ProxyFixture.start(Scenarios.simple(pool)));
        List<RawHttp> clients = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            clients.add(closer.track(RawHttp.connect(address(proxy.port()))));
        }
        for (int round = 1; round <= 3; round++) {
            for (RawHttp c : clients) {
                c.send(get("/r" + round));
            }
            for (RawHttp c : clients) {
                assertThat(c.readResponse().status()).isEqualTo(200);
            }
        }
        assertThat(b.connections()).as("backend connections opened for 3 bursts of %d", BURST).isEqualTo(BURST);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(b.open()).as("connections left once the surplus was idle").isEqualTo(1));
    }
}
