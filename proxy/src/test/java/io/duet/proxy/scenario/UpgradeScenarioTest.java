package io.duet.proxy.scenario;

import io.duet.proxy.testing.Closer;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.proxy.testing.RawBackend;
import io.duet.proxy.testing.WebSocketEchoBackend;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;

/** Protocol upgrades through the whole data plane. */
class UpgradeScenarioTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private static final String WS_UPGRADE = "GET /ws HTTP/1.1\r\nHost: x.test\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    // A real WebSocket handshake is tunnelled once the backend answers 101: messages echo through the proxy.
    @Test
    void webSocketEchoThroughTheProxy() throws Exception {
        WebSocketEchoBackend ws = track(WebSocketEchoBackend.start());
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.simple(pool("p", server("ws", ws.port())))));
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        inbox.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(5, TimeUnit.SECONDS);
        for (String m : List.of("one", "two", "x".repeat(5000))) {
            socket.sendText(m, true).get(5, TimeUnit.SECONDS);
            assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo(m);
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(ws.upgrades()).isEqualTo(1);
    }

    // A backend's 101 opens a raw byte tunnel in both directions (bytes that are not HTTP pass untouched).
    @Test
    void rawTunnelOpensAfter101() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            ex.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            echoUntilEof(ex);
        }));
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.simple(pool("p", server("b", b.port())))));
        try (Wire c = Wire.connect(proxy.port())) {
            Wire.Head head = c.send(WS_UPGRADE).readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("upgrade")).isEqualToIgnoringCase("websocket");
            c.send("\u0000not http at all\r\n\r\n");
            assertThat(new String(c.readUpTo(20), StandardCharsets.ISO_8859_1)).isEqualTo("\u0000not http at all\r\n\r\n");
        }
        assertThat(b.requests()).hasSize(1);
        assertThat(b.requests().get(0).header("Upgrade")).isEqualToIgnoringCase("websocket");
    }

    /** Echoes raw bytes (the tunnel) until the peer closes. Backend connection thread. */
    private static void echoUntilEof(RawBackend.Exchange ex) throws Exception {
        InputStream in = ex.input();
        OutputStream out = ex.output();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
        ex.close();
    }

    // A backend that refuses the upgrade (200 or 404): the client gets that response and no tunnel; the same client
    // connection goes on with plain HTTP.
    @ParameterizedTest
    @ValueSource(ints = {200, 404})
    void refusedUpgradeIsAPlainResponse(int status) throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            String body = req.header("Upgrade") != null ? "no upgrade here" : "plain " + req.target();
            ex.write("HTTP/1.1 " + status + " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
        }));
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.simple(pool("p", server("b", b.port())))));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send(WS_UPGRADE).readResponse();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.body()).isEqualTo("no upgrade here");
            assertThat(r.header("Upgrade")).isNull();
            RawHttp.Response next = c.send(get("/next")).readResponse();
            assertThat(next.status()).isEqualTo(status);
            assertThat(next.body()).isEqualTo("plain /next");
        }
        assertThat(b.requests()).hasSize(2);
    }

    // Upgrade: h2c is refused: the backend sees a plain request (no Upgrade, no HTTP2-Settings) and the client a
    // plain response, even from a backend that would switch.
    @Test
    void h2cUpgradeNotPassedToTheBackend() throws Exception {
        RawBackend b = track(RawBackend.start("b", (req, ex) -> {
            if (req.header("Upgrade") != null) {
                ex.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
                ex.write("\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000");
                ex.close();
            } else {
                ex.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain");
            }
        }));
        ProxyFixture proxy = track(ProxyFixture.start(Scenarios.simple(pool("p", server("b", b.port())))));
        try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
            RawHttp.Response r = c.send("GET /h HTTP/1.1\r\nHost: x.test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("plain");
            assertThat(c.send(get("/again")).readResponse().status()).isEqualTo(200);
        }
        RawBackend.Request seen = b.requests().get(0);
        assertThat(seen.header("Upgrade")).isNull();
        assertThat(seen.header("HTTP2-Settings")).isNull();
        assertThat(seen.header("Connection")).satisfiesAnyOf(
                v -> assertThat(v).isNull(),
                v -> assertThat(v).doesNotContainIgnoringCase("upgrade"));
    }
}
