package io.duet.proxy.http2;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.proxy.testing.RawH2;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 abuse from edge-hardening.md against an https listener, with a client that ignores the rules: too many
 * concurrent streams, rapid reset, a CONTINUATION flood and an HPACK bomb. Each ends in a refused stream or a
 * GOAWAY and a closed connection, and the listener keeps serving well-behaved clients.
 */
class Http2AbuseTest {
    static StubBackend backend;
    static DataPlane dataPlane;
    static int port;
    static final MetricRegistry registry = new MetricRegistry();

    @BeforeAll
    static void start() {
        backend = StubBackend.start("b1");
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(), null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of("h2.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)))),
                List.of());
        dataPlane = DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                registry, "h2-test"));
        port = dataPlane.address("web").getPort();
    }

    @AfterAll
    static void stop() {
        if (dataPlane != null) {
            dataPlane.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Reads frames until a PING ACK with this payload (the server handled everything sent before the PING). */
    private static List<RawH2.Frame> untilPingAck(RawH2 c, byte[] ping) throws IOException {
        c.frame(RawH2.PING, 0, 0, ping);
        c.flush();
        List<RawH2.Frame> frames = new ArrayList<>();
        for (RawH2.Frame f = c.read(); f != null; f = c.read()) {
            if (f.type() == RawH2.PING && (f.flags() & RawH2.ACK) != 0 && java.util.Arrays.equals(f.payload(), ping)) {
                return frames;
            }
            frames.add(f);
        }
        throw new AssertionError("the connection closed before the PING was answered; frames: " + frames.size());
    }

    /** A plain GET on a fresh connection gets a response: the listener still serves well-behaved clients. */
    private static void assertStillServes() throws Exception {
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, RawH2.request("GET", "/ok", "h2.test"));
            c.flush();
            RawH2.Frame f;
            do {
                f = c.read();
            } while (f != null && !(f.type() == RawH2.HEADERS && f.stream() == 1));
            assertThat(f).as("response HEADERS on stream 1").isNotNull();
        }
    }

    // The server advertises 100 concurrent streams and refuses streams beyond them with RST_STREAM(REFUSED_STREAM);
    // the first 100 are not reset.
    @Test
    void concurrentStreamsAreCapped() throws Exception {
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            RawH2.Frame settings = c.read();
            assertThat(settings.type()).isEqualTo(RawH2.SETTINGS);
            assertThat(settings.setting(RawH2.SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo(100);
            for (int i = 0; i < 110; i++) { // POSTs whose bodies never come: the streams stay open
                c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1 + 2 * i, RawH2.request("POST", "/upload", "h2.test"));
            }
            List<RawH2.Frame> frames = untilPingAck(c, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
            List<Integer> reset = frames.stream().filter(f -> f.type() == RawH2.RST_STREAM)
                    .map(RawH2.Frame::stream).toList();
            // Each refused stream: RST_STREAM(REFUSED_STREAM) first (Undertow follows with a CANCEL when it ends the
            // exchange of the unfinished upload; a client ignores frames for a closed stream).
            java.util.Map<Integer, Integer> firstCode = new java.util.LinkedHashMap<>();
            frames.stream().filter(f -> f.type() == RawH2.RST_STREAM)
                    .forEach(f -> firstCode.putIfAbsent(f.stream(), f.errorCode()));
            assertThat(firstCode.keySet()).containsExactly(201, 203, 205, 207, 209, 211, 213, 215, 217, 219);
            assertThat(firstCode.values()).containsOnly(RawH2.REFUSED_STREAM);
        }
        assertStillServes();
    }

    // A client at the limit that opens its next stream the moment a response ends (as h2load -m100 does) is never
    // refused: a stream stops counting when its last frame is written, although its exchange completes a little
    // later. Counted by exchanges, about 1 in 150 such streams was refused once responses were batched per turn.
    @Test
    void aClientKeepingTheLimitInFlightIsNeverRefused() throws Exception {
        int total = 3000;
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            c.frame(RawH2.WINDOW_UPDATE, 0, 0, java.nio.ByteBuffer.allocate(4).putInt(1 << 30).array());
            int sent = 0;
            for (; sent < 100; sent++) {
                c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1 + 2 * sent,
                        RawH2.request("GET", "/n" + sent, "h2.test"));
            }
            c.flush();
            int done = 0;
            List<Integer> refused = new ArrayList<>();
            while (done < total) {
                RawH2.Frame f = c.read();
                assertThat(f).as("frame after %d responses", done).isNotNull();
                if (f.type() == RawH2.SETTINGS && (f.flags() & RawH2.ACK) == 0) {
                    c.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0]);
                } else if (f.type() == RawH2.RST_STREAM) {
                    refused.add(f.stream());
                    done++;
                } else if ((f.type() == RawH2.DATA || f.type() == RawH2.HEADERS) && (f.flags() & RawH2.END_STREAM) != 0) {
                    done++;
                    if (sent < total) {
                        c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1 + 2 * sent,
                                RawH2.request("GET", "/n" + sent, "h2.test"));
                        c.flush();
                        sent++;
                    }
                }
            }
            assertThat(refused).as("streams reset").isEmpty();
        }
    }

    // Rapid reset (CVE-2023-44487): requests opened and cancelled at once; past 200 resets the server sends
    // GOAWAY(ENHANCE_YOUR_CALM) and closes the connection.
    @Test
    void rapidResetEndsTheConnection() throws Exception {
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            try {
                for (int i = 0; i < 400; i++) {
                    int stream = 1 + 2 * i;
                    c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream,
                            RawH2.request("GET", "/r" + i, "h2.test"));
                    c.frame(RawH2.RST_STREAM, 0, stream, RawH2.errorCode(0x8)); // CANCEL
                }
                c.flush();
            } catch (IOException e) {
                // the server may close while we are still writing: that is the expected outcome
            }
            List<RawH2.Frame> frames = c.readUntilClosed(10_000);
            assertThat(frames).as("connection closed").doesNotContainNull();
            // The GOAWAY itself can be lost: the server closes while this client still writes, and the kernel's
            // reset may discard it from our receive buffer. Whichever budget ended the connection (Duet's glitch
            // counter, or Undertow's own count of the resets it sent), any GOAWAY says ENHANCE_YOUR_CALM.
            assertThat(frames.stream().filter(f -> f.type() == RawH2.GOAWAY).map(RawH2.Frame::errorCode))
                    .allMatch(code -> code == RawH2.ENHANCE_YOUR_CALM);
        }
        assertStillServes();
    }

    // CONTINUATION flood (CVE-2024-27316 family): a header block that never ends, 16 KiB CONTINUATION frames
    // without END_HEADERS: the server stops it at the header list cap with GOAWAY and closes; it never buffers
    // megabytes of headers.
    @Test
    void continuationFloodIsCut() throws Exception {
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(RawH2.request("GET", "/", "h2.test"));
            c.frame(RawH2.HEADERS, 0, 1, block.toByteArray());
            ByteArrayOutputStream filler = new ByteArrayOutputStream();
            while (filler.size() < 16_000) {
                RawH2.literalNewName(filler, "x-flood", "a".repeat(500), false);
            }
            byte[] fragment = filler.toByteArray();
            int sent = 0;
            try {
                for (; sent < 256; sent++) { // up to 4 MiB of headers
                    c.frame(RawH2.CONTINUATION, 0, 1, fragment);
                }
                c.flush();
            } catch (IOException e) {
                // closed by the server while writing
            }
            List<RawH2.Frame> frames = c.readUntilClosed(10_000);
            assertThat(frames).as("connection closed").doesNotContainNull();
            assertThat(frames).filteredOn(f -> f.type() == RawH2.HEADERS).as("no response").isEmpty();
        }
        assertStillServes();
    }

    // HPACK bomb: one 4000-byte header entered into the dynamic table, then referenced 200 times by its one-byte
    // index (800 KB decoded from 4 KB sent): the request is refused, not forwarded.
    @Test
    void hpackBombIsRefused() throws Exception {
        int before = backend.requests();
        try (RawH2 c = RawH2.connect(port, "h2.test")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(RawH2.request("GET", "/bomb", "h2.test"));
            RawH2.literalNewName(b, "x-bomb", "b".repeat(4000), true); // dynamic table index 62
            for (int i = 0; i < 200; i++) {
                b.write(0x80 | 62); // indexed header field
            }
            c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, b.toByteArray());
            c.flush();
            List<RawH2.Frame> frames = c.readUntilClosed(3_000);
            List<RawH2.Frame> seen = frames.stream().filter(Objects::nonNull).toList();
            boolean refused = seen.stream().anyMatch(f -> f.type() == RawH2.GOAWAY
                    || (f.type() == RawH2.RST_STREAM && f.stream() == 1))
                    || seen.stream().anyMatch(f -> f.type() == RawH2.HEADERS && f.stream() == 1
                    && f.payload().length > 0 && (f.payload()[0] & 0xff) != 0x88); // not :status 200
            assertThat(refused).as("the bomb is refused: GOAWAY, RST_STREAM or an error status; got types "
                    + seen.stream().map(RawH2.Frame::type).toList()).isTrue();
        }
        assertThat(backend.requests()).as("nothing forwarded").isEqualTo(before);
        assertStillServes();
    }
}
