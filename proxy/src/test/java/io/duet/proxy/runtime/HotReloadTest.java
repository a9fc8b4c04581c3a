package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.WebSocketEchoBackend;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HotReloadTest {

    private static DuetConfig config(long revision, StubBackend b1, StubBackend b2, WebSocketEchoBackend ws) {
        // Alternate weights and an extra route so every reload really changes the compiled snapshot.
        boolean odd = revision % 2 == 1;
        List<Route> routes = new ArrayList<>();
        routes.add(Route.forward("ws", RouteMatch.pathPrefix("/ws"), "ws"));
        if (odd) {
            routes.add(Route.forward("extra", RouteMatch.pathPrefix("/extra"), "web"));
        }
        routes.add(Route.forward("all", RouteMatch.any(), "web"));
        return new DuetConfig(revision, List.of(new Listener("http", "127.0.0.1", 0)), null, null, null,
                List.of(new VirtualHost("v", List.of("reload.test"), true, routes)),
                List.of(new Pool("web", Pool.WEIGHTED_ROUND_ROBIN, List.of(
                                new Server("b1", "127.0.0.1", b1.port(), odd ? 2 : 1, null),
                                new Server("b2", "127.0.0.1", b2.port(), 1, null))),
                        new Pool("ws", Pool.ROUND_ROBIN, List.of(new Server("ws", "127.0.0.1", ws.port(), null, null)))));
    }

    // 100 reloads while keep-alive HTTP clients and WebSockets run: no failed request, no dropped WebSocket,
    // and the connections to unchanged servers are kept.
    @Test
    void hundredReloadsDropNothing() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1"); StubBackend b2 = StubBackend.start("b2");
             WebSocketEchoBackend ws = WebSocketEchoBackend.start();
             ProxyFixture proxy = ProxyFixture.start(config(1, b1, b2, ws))) {

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong ok = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Thread th = new Thread(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri("/page"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().endsWith("GET /page")) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }, "client-" + t);
                th.start();
                clients.add(th);
            }

            // Three WebSockets through the proxy, each echoing a numbered message stream.
            HttpClient wsClient = HttpClient.newHttpClient();
            List<WebSocket> sockets = new ArrayList<>();
            List<LinkedBlockingQueue<String>> inboxes = new ArrayList<>();
            List<String> closed = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
                inboxes.add(inbox);
                sockets.add(wsClient.newWebSocketBuilder().buildAsync(
                        URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                inbox.add(data.toString());
                                webSocket.request(1);
                                return CompletableFuture.completedFuture(null);
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
                                closed.add(status + " " + reason);
                                return CompletableFuture.completedFuture(null);
                            }

                            @Override
                            public void onError(WebSocket webSocket, Throwable error) {
                                closed.add("error " + error);
                            }
                        }).get(10, TimeUnit.SECONDS));
            }

            long wsMessages = 0;
            for (int rev = 2; rev <= 101; rev++) {
                long before = ok.get();
                proxy.dataPlane().apply(config(rev, b1, b2, ws));
                assertThat(proxy.dataPlane().revision()).isEqualTo(rev);
                for (int i = 0; i < sockets.size(); i++) {
                    String msg = "m" + rev + "-" + i;
                    sockets.get(i).sendText(msg, true).get(5, TimeUnit.SECONDS);
                    assertThat(inboxes.get(i).poll(5, TimeUnit.SECONDS)).isEqualTo(msg);
                    wsMessages++;
                }
                // Let traffic flow between reloads, so every reload lands on requests in flight.
                await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > before + 2);
            }
            running.set(false);
            for (Thread th : clients) {
                th.join(15_000);
            }

            assertThat(failures).isEmpty();
            assertThat(closed).isEmpty();
            assertThat(wsMessages).isEqualTo(300);
            assertThat(ws.upgrades()).isEqualTo(3);
            assertThat(ok.get()).isGreaterThan(300);
            // Unchanged servers keep their pooled connections: a handful of proxy-side ports, not one per reload.
            Set<Integer> ports = b1.seen().stream().map(StubBackend.Seen::remotePort).collect(Collectors.toSet());
            assertThat(ports).hasSizeLessThanOrEqualTo(8);
            for (WebSocket s : sockets) {
                s.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            }
        }
    }
}
