package io.duet.proxy.http2;

import io.duet.proxy.testing.RawBackend;
import io.duet.proxy.testing.RawH2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.duet.proxy.http2.H2Edge.HOST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A header block split over HEADERS and CONTINUATION frames is forwarded only once it is complete (RFC 9113 4.3),
 * with every field of every frame, whether the frames arrive in one read or in several.
 */
class Http2HeaderBlockTest {
    static H2Edge edge;

    @BeforeAll
    static void start() throws Exception {
        edge = H2Edge.start();
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    private static final byte[] PING = {'s', 'p', 'l', 'i', 't', 'r', 'e', 'd'};

    // The server has read the HEADERS frame (without END_HEADERS, with END_STREAM) before the CONTINUATION is sent:
    // it was in the same write as a PING the server answered. The request reaches the backend only with the field
    // from the CONTINUATION, without a body and without chunked framing.
    @Test
    void continuationInALaterReadCompletesTheRequest() throws Exception {
        try (RawH2 c = settled()) {
            c.frame(RawH2.PING, 0, 0, PING);
            c.frame(RawH2.HEADERS, RawH2.END_STREAM, 1, RawH2.fields(":method", "GET", ":scheme", "https",
                    ":path", "/split/late", ":authority", HOST, "x-early", "1"));
            c.flush();
            awaitPingAck(c);
            c.frame(RawH2.CONTINUATION, RawH2.END_HEADERS, 1, RawH2.fields("x-late", "2"));
            c.flush();
            H2Edge.Outcome o = H2Edge.collect(c, 1, false);
            H2Edge.assertServed(o, 1);
        }
        RawBackend.Request r = edge.forwarded("/split/late");
        assertThat(r.header("x-early")).isEqualTo("1");
        assertThat(r.header("x-late")).as("the CONTINUATION's field reached the backend").isEqualTo("2");
        assertThat(r.header("Transfer-Encoding")).isNull();
        assertThat(r.body()).isEmpty();
    }

    // The HEADERS frame read alone (see above), then three CONTINUATION frames written and flushed one by one, then
    // a body. All fields arrive, in one request.
    @Test
    void severalContinuationsInSeparateReads() throws Exception {
        try (RawH2 c = settled()) {
            c.frame(RawH2.PING, 0, 0, PING);
            c.frame(RawH2.HEADERS, 0, 1, RawH2.fields(":method", "POST", ":scheme", "https",
                    ":path", "/split/many", ":authority", HOST, "content-length", "4"));
            c.flush();
            awaitPingAck(c);
            for (int i = 1; i <= 3; i++) {
                // a PING cannot go between the frames of a block: the next frame's first byte goes with this one
                c.frame(RawH2.CONTINUATION, i == 3 ? RawH2.END_HEADERS : 0, 1, RawH2.fields("x-part-" + i, "v" + i));
                c.flush();
            }
            c.frame(RawH2.DATA, RawH2.END_STREAM, 1, "body".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            c.flush();
            H2Edge.assertServed(H2Edge.collect(c, 1, false), 1);
        }
        RawBackend.Request r = edge.forwarded("/split/many");
        assertThat(List.of(r.header("x-part-1"), r.header("x-part-2"), r.header("x-part-3")))
                .containsExactly("v1", "v2", "v3");
        assertThat(r.bodyText()).isEqualTo("body");
    }

    // The whole block written one byte at a time (a TLS record per byte): the request is still forwarded whole.
    @Test
    void headerBlockTrickledByteByByte() throws Exception {
        byte[] first = RawH2.fields(":method", "GET", ":scheme", "https", ":path", "/split/trickle",
                ":authority", HOST);
        byte[] second = RawH2.fields("x-trickled", "yes");
        try (RawH2 c = RawH2.connect(edge.port, HOST)) {
            List<byte[]> frames = new ArrayList<>();
            frames.add(frame(RawH2.HEADERS, RawH2.END_STREAM, 1, first));
            frames.add(frame(RawH2.CONTINUATION, RawH2.END_HEADERS, 1, second));
            for (byte[] f : frames) {
                for (byte b : f) {
                    c.write(new byte[]{b});
                    c.flush();
                }
            }
            H2Edge.assertServed(H2Edge.collect(c, 1, false), 1);
        }
        assertThat(edge.forwarded("/split/trickle").header("x-trickled")).isEqualTo("yes");
    }

    /**
     * A connection whose SETTINGS exchange is over: this client acknowledges the server's SETTINGS as it reads them,
     * and that acknowledgement must not fall between the frames of a header block.
     */
    private static RawH2 settled() throws Exception {
        RawH2 c = RawH2.connect(edge.port, HOST);
        c.frame(RawH2.PING, 0, 0, PING);
        c.flush();
        awaitPingAck(c);
        return c;
    }

    private static void awaitPingAck(RawH2 c) throws Exception {
        for (RawH2.Frame f = c.read(); f != null; f = c.read()) {
            if (f.type() == RawH2.PING && (f.flags() & RawH2.ACK) != 0) {
                return;
            }
        }
        throw new AssertionError("the connection closed before the PING was answered");
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }
}
