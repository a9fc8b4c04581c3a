package io.duet.proxy.edge;

import io.duet.config.DuetConfig;
import io.duet.config.Vip;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Draining the connections to a VIP before a planned move, on a real data plane: idle keep-alive connections are
 * closed, a request in flight completes (its response closes the connection), a fresh connection gets its first
 * answer, the drain ends when nothing is left (or cuts the rest at its deadline), and connections to other
 * addresses are untouched. 127.0.0.1 plays the VIP; 127.0.0.2 (also loopback) is another address of the node.
 */
class AddressDrainTest {
    private static final String VIP = "127.0.0.1";
    private StubBackend backend;
    private ProxyFixture proxy;
    private volatile CountDownLatch arrived = new CountDownLatch(0);
    private volatile CountDownLatch release = new CountDownLatch(0);

    @BeforeEach
    void start() {
        backend = StubBackend.start("b1").handler(ex -> {
            arrived.countDown();
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the request");
            }
            ex.getResponseSender().send("ok");
        });
        DuetConfig base = ProxyFixture.simpleConfig("round-robin", backend);
        DuetConfig withVip = new DuetConfig(base.revision(),
                List.of(new io.duet.config.Listener("http", "0.0.0.0", 0)), base.limits(), base.forwarding(),
                base.accessLog(), base.virtualHosts(), base.pools(), base.certificates(),
                List.of(new Vip(VIP, "a", null, null)));
        proxy = ProxyFixture.start(withVip);
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
    }

    /** A keep-alive HTTP/1.1 client on one connection. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(String address) throws Exception {
            socket = new Socket();
            socket.connect(new InetSocketAddress(address, proxy.port()), 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        void send() throws Exception {
            out.write("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Reads one response; its head lines (lower case) and body. */
        String read() throws Exception {
            StringBuilder head = new StringBuilder();
            int length = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                head.append(line.toLowerCase(java.util.Locale.ROOT)).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            int n = 0;
            while (n < length) {
                n += in.read(body, n, length - n);
            }
            return head + "\n" + new String(body);
        }

        boolean closedByServer() throws Exception {
            return in.read() == -1;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosedAndTheDrainEnds() throws Exception {
        try (Client c = new Client(VIP); Client other = new Client("127.0.0.2")) {
            c.send();
            assertThat(c.read()).doesNotContain("connection: close").endsWith("ok");
            other.send();
            assertThat(other.read()).endsWith("ok");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().vipConnections(VIP) == 1);

            AddressDrains.Result r = proxy.dataPlane().drain(VIP, 5000).get(5, TimeUnit.SECONDS);
            assertThat(r.connections()).isEqualTo(1);
            assertThat(r.cut()).isZero();
            assertThat(c.closedByServer()).isTrue();
            // The other address keeps its keep-alive connection.
            other.send();
            assertThat(other.read()).doesNotContain("connection: close").endsWith("ok");
        }
    }

    @Test
    void aRequestInFlightCompletesAndItsConnectionEndsWithIt() throws Exception {
        arrived = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Client c = new Client(VIP)) {
            c.send();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<AddressDrains.Result> drain = proxy.dataPlane().drain(VIP, 10_000);
            assertThat(drain).isNotDone();
            release.countDown();
            String response = c.read();
            assertThat(response).startsWith("http/1.1 200").contains("connection: close").endsWith("ok");
            assertThat(c.closedByServer()).isTrue();
            c.close(); // as an HTTP client does after "Connection: close": the drain then knows all was delivered
            AddressDrains.Result r = drain.get(5, TimeUnit.SECONDS);
            assertThat(r.cut()).isZero();
            assertThat(r.connections()).isEqualTo(1);
        }
    }

    @Test
    void aFreshConnectionGetsItsFirstAnswerWithConnectionClose() throws Exception {
        try (Client c = new Client(VIP)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().vipConnections(VIP) == 1);
            CompletableFuture<AddressDrains.Result> drain = proxy.dataPlane().drain(VIP, 10_000);
            c.send(); // its request was on the way when the drain began
            assertThat(c.read()).contains("connection: close").endsWith("ok");
            assertThat(drain).isNotDone(); // until the client has closed: then everything sent was delivered
            c.close();
            assertThat(drain.get(5, TimeUnit.SECONDS).cut()).isZero();
        }
    }

    @Test
    void whatIsLeftAtTheDeadlineIsCutAndUndrainRestoresKeepAlive() throws Exception {
        try (Client silent = new Client(VIP)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dataPlane().vipConnections(VIP) == 1);
            AddressDrains.Result r = proxy.dataPlane().drain(VIP, 200).get(5, TimeUnit.SECONDS);
            assertThat(r.cut()).isEqualTo(1);
            assertThat(r.millis()).isGreaterThanOrEqualTo(200);
            assertThat(silent.closedByServer()).isTrue();
        }
        proxy.dataPlane().undrain(VIP);
        try (Client c = new Client(VIP)) {
            c.send();
            assertThat(c.read()).doesNotContain("connection: close").endsWith("ok");
        }
    }
}
