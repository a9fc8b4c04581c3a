package io.duet.proxy.testing;

import io.duet.testkit.tls.TrustAll;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately misbehaving HTTP/2 client: writes frames byte by byte as a test composes them (over TLS with ALPN
 * h2, trusting any certificate) and reads whatever the server sends back, so tests can see RST_STREAM, GOAWAY and
 * the connection closing. Header blocks are encoded with HPACK literals and static-table indexes only (no Huffman).
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int PRIORITY = 0x2;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int PADDED = 0x8;
    public static final int PRIORITY_FLAG = 0x20;
    public static final int ACK = 0x1;
    public static final int NO_ERROR = 0x0;
    public static final int PROTOCOL_ERROR = 0x1;
    public static final int FLOW_CONTROL_ERROR = 0x3;
    public static final int STREAM_CLOSED = 0x5;
    public static final int FRAME_SIZE_ERROR = 0x6;
    public static final int REFUSED_STREAM = 0x7;
    public static final int COMPRESSION_ERROR = 0x9;
    public static final int ENHANCE_YOUR_CALM = 0xb;
    public static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    public static final int SETTINGS_ENABLE_PUSH = 0x2;
    public static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    public static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    public static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    /** A frame received. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        public int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        /** The value of a SETTINGS parameter, or -1. */
        public long setting(int id) {
            for (int i = 0; i + 6 <= payload.length; i += 6) {
                int key = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
                if (key == id) {
                    return ((long) (payload[i + 2] & 0xff) << 24) | ((payload[i + 3] & 0xff) << 16)
                            | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
                }
            }
            return -1;
        }
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawH2(SSLSocket socket) throws IOException {
        this.socket = socket;
        // what a test writes goes out at flush(), in as few TLS records as fit: a server that ends the connection
        // after the first frames must not find the rest arriving after its close (the reset would eat its GOAWAY)
        this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects with ALPN h2, sends the preface and an empty SETTINGS frame. */
    public static RawH2 connect(int port, String host) throws Exception {
        RawH2 c = handshake(port, host);
        c.out.write(PREFACE);
        c.frame(SETTINGS, 0, 0, new byte[0]);
        c.flush();
        return c;
    }

    /** The client connection preface. */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Connects with ALPN h2 and sends nothing: the test writes the preface (or something else) itself. */
    public static RawH2 handshake(int port, String host) throws Exception {
        SSLContext ctx = TrustAll.context();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[]{"h2"});
        p.setServerNames(List.of(new SNIHostName(host)));
        s.setSSLParameters(p);
        s.startHandshake();
        if (!"h2".equals(s.getApplicationProtocol())) {
            s.close();
            throw new IllegalStateException("the server did not negotiate h2: " + s.getApplicationProtocol());
        }
        s.setTcpNoDelay(true);
        return new RawH2(s);
    }

    /** Writes raw bytes (not flushed). */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Writes one frame (not flushed). */
    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] h = new byte[9];
        h[0] = (byte) (payload.length >>> 16);
        h[1] = (byte) (payload.length >>> 8);
        h[2] = (byte) payload.length;
        h[3] = (byte) type;
        h[4] = (byte) flags;
        h[5] = (byte) ((stream >>> 24) & 0x7f);
        h[6] = (byte) (stream >>> 16);
        h[7] = (byte) (stream >>> 8);
        h[8] = (byte) stream;
        byte[] f = new byte[9 + payload.length];
        System.arraycopy(h, 0, f, 0, 9);
        System.arraycopy(payload, 0, f, 9, payload.length);
        out.write(f); // one TLS record: a server that stops reading after the header leaves no unread record
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** A header block for a request: method, https, path, authority, then extra name/value pairs. */
    public static byte[] request(String method, String path, String authority, String... extra) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        literalIndexedName(b, 2, method);   // :method
        b.write(0x87);                      // :scheme https
        literalIndexedName(b, 4, path);     // :path
        literalIndexedName(b, 1, authority); // :authority
        for (int i = 0; i + 1 < extra.length; i += 2) {
            literalNewName(b, extra[i], extra[i + 1], false);
        }
        return b.toByteArray();
    }

    /**
     * A header block of literal fields without indexing, each with a new name, in the order given: pseudo-header
     * fields too, so a test can send any name, value, order or repetition (no Huffman, no dynamic table).
     */
    public static byte[] fields(String... nameValue) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            literalNewName(b, nameValue[i], nameValue[i + 1], false);
        }
        return b.toByteArray();
    }

    /** A SETTINGS payload from id/value pairs. */
    public static byte[] settings(long... idValue) {
        byte[] p = new byte[idValue.length / 2 * 6];
        for (int i = 0, at = 0; i + 1 < idValue.length; i += 2, at += 6) {
            p[at] = (byte) (idValue[i] >>> 8);
            p[at + 1] = (byte) idValue[i];
            p[at + 2] = (byte) (idValue[i + 1] >>> 24);
            p[at + 3] = (byte) (idValue[i + 1] >>> 16);
            p[at + 4] = (byte) (idValue[i + 1] >>> 8);
            p[at + 5] = (byte) idValue[i + 1];
        }
        return p;
    }

    /** Four bytes, big-endian (a WINDOW_UPDATE increment, an error code, a stream dependency). */
    public static byte[] int32(long value) {
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** Literal header field without indexing, name from the static table. */
    public static void literalIndexedName(ByteArrayOutputStream b, int index, String value) {
        b.write(index); // 0000 + 4-bit index (< 15)
        string(b, value);
    }

    /** Literal header field with a new name; with incremental indexing it enters the dynamic table. */
    public static void literalNewName(ByteArrayOutputStream b, String name, String value, boolean index) {
        b.write(index ? 0x40 : 0x00);
        string(b, name);
        string(b, value);
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(b, v.length, 7, 0);
        b.writeBytes(v);
    }

    /** HPACK integer with an n-bit prefix and the given high bits. */
    public static void integer(ByteArrayOutputStream b, int value, int prefixBits, int highBits) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            b.write(highBits | value);
            return;
        }
        b.write(highBits | max);
        value -= max;
        while (value >= 128) {
            b.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        b.write(value);
    }

    public static byte[] errorCode(int code) {
        return new byte[]{(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    /** The next frame; null at end of stream or when the connection was reset. */
    public Frame read() throws IOException {
        try {
            int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[len];
            in.readFully(payload);
            if (type == SETTINGS && (flags & ACK) == 0) {
                frame(SETTINGS, ACK, 0, new byte[0]);
                flush();
            }
            return new Frame(type, flags, stream, payload);
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /**
     * Reads frames until the connection ends (or {@code timeoutMs} passes without one); all of them.
     */
    public List<Frame> readUntilClosed(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        List<Frame> frames = new ArrayList<>();
        try {
            for (Frame f = read(); f != null; f = read()) {
                frames.add(f);
            }
        } catch (SocketTimeoutException e) {
            frames.add(null); // marks "still open"
        }
        return frames;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
