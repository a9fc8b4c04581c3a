package io.duet.proxy.forward;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.build.PoolBuilder;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectTimeoutTest {
    private ServerSocket blackHole;
    private final List<Socket> fillers = new ArrayList<>();

    /**
     * A listening socket that never accepts, with its accept queue filled: Linux drops further SYNs, so a connect to
     * it hangs until the client gives up - a real unresponsive server on loopback.
     */
    @BeforeEach
    void blackHole() throws IOException {
        blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            try {
                s.connect(blackHole.getLocalSocketAddress(), 200);
                fillers.add(s);
            } catch (IOException full) {
                s.close();
                break;
            }
        }
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        blackHole.close();
    }

    private DuetConfig config(Server... servers) {
        PoolBuilder pool = ConfigBuilders.pool("p").balancer(Pool.ROUND_ROBIN).connectTimeoutMs(300);
        for (Server s : servers) {
            pool.server(s);
        }
        return ConfigBuilders.document().revision(1).listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("v").hostname("x.test").defaultHost()
                        .route(ConfigBuilders.forward("all", RouteMatch.any(), "p")))
                .pool(pool).build();
    }

    // A server that does not accept the connection within the pool's connect timeout is skipped: a GET goes to
    // the next server, and the connect error is counted.
    @Test
    void unresponsiveServerIsSkippedAfterConnectTimeout() throws Exception {
        try (StubBackend live = StubBackend.start("live");
             ProxyFixture proxy = ProxyFixture.start(config(
                     new Server("hole", "127.0.0.1", blackHole.getLocalPort(), null, null),
                     new Server("live", "127.0.0.1", live.port(), null, null)))) {
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = proxy.get("/x");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("live");
                assertThat(ms).isLessThan(3000);
            }
            assertThat(proxy.dataPlane().metrics().getCounters().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("duet_server_connect_errors_total")
                            && e.getKey().contains("server=\"hole\""))
                    .mapToLong(e -> e.getValue().getCount()).sum())
                    // Round robin lands on the unresponsive server for both requests: nothing marks it down yet
                    // (health checks and passive outlier detection arrive with the balancing issue).
                    .isEqualTo(2);
        }
    }

    // With no other server, the connect timeout gives 504 with its stable id.
    @Test
    void connectTimeoutGives504() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(config(
                new Server("hole", "127.0.0.1", blackHole.getLocalPort(), null, null)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = proxy.get("/x");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("DUET-PROXY-0504").contains("connecting");
            assertThat(ms).isBetween(250L, 3000L);
        }
    }
}
