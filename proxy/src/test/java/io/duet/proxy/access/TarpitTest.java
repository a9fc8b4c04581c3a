package io.duet.proxy.access;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.proxy.metrics.ProxyMetrics;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import io.undertow.Undertow;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.access.AccessFixture.doc;
import static io.duet.proxy.access.AccessFixture.get;
import static io.duet.proxy.access.AccessFixture.routeCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tarpit: a refused request is held, then denied, without holding a thread; the number held is bounded. */
class TarpitTest {

    // On a data plane with one I/O thread, a tarpitted request is held for tarpitMs and then denied, while another
    // client is served at once in the meantime.
    @Test
    void holdsThenDeniesWithoutBlockingOtherClients() throws Exception {
        try (StubBackend backend = StubBackend.start("b");
             ProxyFixture proxy = ProxyFixture.start(doc("""
                     listeners: [{name: http, address: 127.0.0.1, port: 0}]
                     virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: p,
                       access: {deny: [127.0.0.2], action: tarpit, tarpitMs: 1500, status: 429}}]}]
                     pools: [{name: p, servers: [{address: 127.0.0.1, port: %d}]}]
                     """.formatted(backend.port())))) {
            InetSocketAddress at = proxy.dataPlane().address("http");
            long start = System.nanoTime();
            CompletableFuture<RawHttp.Response> held = CompletableFuture.supplyAsync(() -> get("127.0.0.2", at, "/"));
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> routeCount(proxy.dataPlane(), "v", "r", "tarpitted") == 1);
            assertThat(get("127.0.0.3", at, "/").status()).isEqualTo(200);
            assertThat(held).isNotDone();
            RawHttp.Response r = held.get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1500);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.body()).contains("DUET-PROXY-0429");
            assertThat(backend.seen()).hasSize(1);
        }
    }

    // Over its bound the tarpit holds nothing more: the next refused client is denied at once (counted denied).
    @Test
    void overTheBoundDeniesAtOnce() throws Exception {
        DuetConfig config = doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0, access: {deny: [127.0.0.0/8], action: tarpit, tarpitMs: 60000}}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, respond: {status: 200}}]}]
                """);
        MetricRegistry registry = new MetricRegistry();
        Tarpit tarpit = new Tarpit(1);
        AccessPolicy policy = new AccessTable(config, new ProxyMetrics(registry), tarpit).listener("http");
        Undertow server = Undertow.builder().setIoThreads(1).addHttpListener(0, "127.0.0.1")
                .setHandler(ex -> policy.admit(ex, ex.getSourceAddress().getAddress())).build();
        server.start();
        try {
            InetSocketAddress at = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
            try (RawHttp first = AccessFixture.from("127.0.0.2", at)) {
                first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                await().atMost(5, TimeUnit.SECONDS).until(() -> tarpit.held() == 1);
                long start = System.nanoTime();
                assertThat(get("127.0.0.3", at, "/").status()).isEqualTo(403);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(30_000);
                assertThat(tarpit.held()).isEqualTo(1);
                assertThat(policy.metrics().tarpittedCount()).isEqualTo(1);
                assertThat(policy.metrics().deniedCount()).isEqualTo(1);
            }
        } finally {
            server.stop();
        }
    }
}
