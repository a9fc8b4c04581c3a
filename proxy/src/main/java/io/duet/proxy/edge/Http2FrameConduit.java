package io.duet.proxy.edge;

import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The read side of an HTTP/2 connection, between the socket (or TLS) and Undertow's frame parser: it follows the frame
 * headers and enforces what Undertow's parser does not. In short: each header block reaches the parser in one piece
 * (below); the preface is followed by SETTINGS; a SETTINGS ACK carries no payload; DATA stays within the connection's
 * flow-control window; DATA on a stream the client ended is dropped with a stream error; a PRIORITY frame does not make
 * a stream depend on itself; after a connection error nothing more reaches the parser, and the connection closes by a
 * lingering close ({@link Http2LingeringClose}). Breaches go to {@link Breaches} (the channel).
 *
 * <p>Header blocks: Undertow dispatches a request as soon as its HEADERS frame is parsed when the bytes read
 * so far end exactly there, even without END_HEADERS: the request would reach the backend without the fields of the
 * CONTINUATION frames arriving in a later read (and, with END_STREAM, as a chunked request). Undertow's parser does
 * read a block's CONTINUATION frames together with its HEADERS frame whenever any byte of the next frame is already
 * there (Http2Channel.parseFrame). So when a read would end exactly at a frame boundary inside an open header block,
 * this conduit keeps that read's last byte back and hands it over in front of the next read: the parser never sees
 * a header block end early, and the request is dispatched only once END_HEADERS arrived.
 *
 * <p>A read with room for just the held byte returns 0 (that byte alone would end the read at the boundary); the
 * reader reads again with more room, as Undertow does once it parsed what it holds.
 *
 * <p>Only the 9-byte frame headers are followed (length, type, flags, and a PRIORITY frame's dependency); payloads
 * pass through uncopied (moved forward only over a dropped frame), and at most one byte is ever held. A peer that
 * never completes its block gets nothing dispatched: the connection's idle timeout and the header-list limit end it.
 *
 * <p>Thread: the connection's I/O thread, like every read of the connection.
 */
final class Http2FrameConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private static final int PREFACE_BYTES = 24;
    private static final int HEADERS = 0x1;
    private static final int PUSH_PROMISE = 0x5;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private static final int DATA = 0x0;
    private static final int PRIORITY = 0x2;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int ACK = 0x1;
    private static final int END_STREAM = 0x1;

    /** Where breaches of the frame rules checked here go (the connection: GOAWAY or RST_STREAM). */
    interface Breaches {
        void connectionError(int code, String why);

        void streamError(int stream, int code, String why);

        /** Flow-controlled bytes dropped here: the connection window must get them back. */
        void dropped(int bytes);
    }

    private Breaches breaches;
    /** A connection error was raised: nothing more is handed to the parser. */
    private boolean broken;
    /** PRIORITY frame being followed: its stream and the dependency bytes seen so far. */
    private int priorityStream;
    private int dependency;
    private int dependencyBytes = -1;

    private int prefaceLeft = PREFACE_BYTES;
    /** The peer's first frame (which must be SETTINGS) has been seen. */
    private boolean settingsSeen;
    private final byte[] head = new byte[9];
    private int headRead;
    private int payloadLeft;
    /** The last frame header seen began or continued a header block without ending it. */
    private boolean blockOpen;
    /** The byte kept back, or -1. */
    private int held = -1;
    private boolean eof;

    Http2FrameConduit(StreamSourceConduit next) {
        super(next);
    }

    /** Where frame-rule breaches go from now on; the connection's I/O thread, before its first read. */
    void breaches(Breaches breaches) {
        this.breaches = breaches;
    }

    /**
     * Bytes the connection read before this conduit was in place (what ALPN left over): followed like any read,
     * and the last one kept back (the buffer's limit lowered) when they end inside an open header block.
     */
    void admit(ByteBuffer leftover) {
        int end = leftover.limit();
        if (end > leftover.position()) {
            int kept = follow(leftover, leftover.position(), end);
            if (holdLast) {
                held = leftover.get(kept - 1) & 0xff;
                kept--;
            }
            leftover.limit(broken ? Math.max(leftover.position(), Math.min(kept, cutAt)) : kept);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int start = dst.position();
        if (held >= 0) {
            dst.put((byte) held);
            held = -1;
        }
        int n = eof ? -1 : next.read(dst);
        if (n < 0) {
            eof = true;
        }
        if (broken) {
            dst.position(start); // after a connection error the peer's bytes are read and dropped
            return eof ? -1 : 0;
        }
        int end = dst.position();
        if (end == start) {
            return n < 0 ? -1 : 0;
        }
        int kept = follow(dst, start, end);
        if (holdLast && !eof) {
            held = dst.get(kept - 1) & 0xff;
            kept--;
        }
        dst.position(broken ? Math.max(start, Math.min(kept, cutAt)) : kept);
        return dst.position() - start;
    }

    /** Set by {@link #follow}: the last byte it kept ends a frame inside an open header block. */
    private boolean holdLast;
    /** Payload bytes of a dropped frame still to skip. */
    private int dropLeft;
    /** Client streams that ended (END_STREAM, or reset by the client): the most recent ones, for DATA after it. */
    private final Http2RecentStreams ended = new Http2RecentStreams();

    /**
     * Follows the frames in {@code buf[from, to)}, dropping the DATA frames of streams the client already ended
     * (see {@link #dataAfterEnd}) by moving what follows them forward; returns the end of what is kept. Sets
     * {@link #holdLast} when the last byte kept ends a frame inside a header block that is still open: that byte is
     * then already rolled back here (the caller keeps it back and it is followed again with the next read).
     */
    private int follow(ByteBuffer buf, int from, int to) {
        holdLast = false;
        int w = from;
        for (int i = from; i < to; ) {
            if (dropLeft > 0) {
                int n = Math.min(dropLeft, to - i);
                dropLeft -= n;
                i += n;
                if (dropLeft == 0) {
                    headRead = 0;
                }
            } else if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, to - i);
                move(buf, i, w, n);
                prefaceLeft -= n;
                i += n;
                w += n;
            } else if (headRead < 9) {
                byte b = buf.get(i++);
                buf.put(w++, b);
                head[headRead++] = b;
                if (headRead == 9) {
                    boolean wasOpen = blockOpen;
                    boolean headerHere = w - 9 >= from;
                    payloadLeft = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
                    int type = head[3] & 0xff;
                    int flags = head[4] & 0xff;
                    int stream = (head[5] & 0x7f) << 24 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8
                            | (head[8] & 0xff);
                    if (!settingsSeen && type != SETTINGS) {
                        // RFC 9113 3.4: Undertow marks its reads broken but still handles the frame (a request sent
                        // before SETTINGS was forwarded)
                        raise(headerHere ? w - 9 : from, 0x1, "the connection preface is not followed by SETTINGS");
                        return w;
                    }
                    settingsSeen = true;
                    if (type == SETTINGS && (flags & ACK) != 0 && payloadLeft != 0) {
                        // RFC 9113 6.5 (Undertow's own check reads a length it keeps only for DATA frames)
                        raise(headerHere ? w - 9 : from, 0x6, "SETTINGS ACK with a payload");
                        return w;
                    }
                    if (type == DATA && connectionWindow.addAndGet(-payloadLeft) < 0) {
                        // RFC 9113 6.9.1: Undertow counts DATA against the window only as it is read, and never
                        // refuses what exceeds it (a peer could have it buffer without bound)
                        raise(headerHere ? w - 9 : from, 0x3, "DATA beyond the connection's flow-control window");
                        return w;
                    }
                    if (type == DATA && !wasOpen && headerHere && stream != 0 && ended.contains(stream)) {
                        dataAfterEnd(stream, payloadLeft);
                        w -= 9;
                        dropLeft = payloadLeft;
                        payloadLeft = 0;
                        if (dropLeft == 0) {
                            headRead = 0;
                        }
                        continue;
                    }
                    if (((type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) || type == RST_STREAM) {
                        ended.add(stream);
                    }
                    priorityStream = stream;
                    dependencyBytes = type == PRIORITY ? 0 : -1;
                    dependency = 0;
                    blockOpen = (type == HEADERS || type == PUSH_PROMISE || type == CONTINUATION)
                            && (flags & END_HEADERS) == 0;
                    if (payloadLeft == 0) {
                        headRead = 0;
                        if (i == to && blockOpen) {
                            headRead = 8;
                            blockOpen = wasOpen;
                            holdLast = true;
                            return w;
                        }
                    }
                }
            } else {
                if (dependencyBytes >= 0) {
                    priorityPayload(buf, i, to);
                }
                int n = Math.min(payloadLeft, to - i);
                move(buf, i, w, n);
                i += n;
                w += n;
                if (i == to && n == payloadLeft && blockOpen) {
                    payloadLeft = 1; // the last byte is kept back and followed again with the next read
                    holdLast = true;
                    return w;
                }
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    headRead = 0;
                }
            }
        }
        return w;
    }

    private static void move(ByteBuffer buf, int from, int to, int n) {
        if (from != to) {
            for (int k = 0; k < n; k++) {
                buf.put(to + k, buf.get(from + k));
            }
        }
    }

    /**
     * DATA on a stream the client ended (half-closed remote) or reset (closed) is a stream error STREAM_CLOSED (RFC
     * 9113 5.1), which Undertow would make a connection error of: the frame is dropped here, the stream reset, and
     * the connection's flow-control window given back what the frame took from it (RFC 9113 6.9). Streams that
     * ended longer ago than the last {@value Http2RecentStreams#KEPT} are left to Undertow (a connection error).
     */
    private void dataAfterEnd(int stream, int length) {
        if (breaches != null) {
            breaches.streamError(stream, 0x5, "DATA on stream " + stream + " after the client ended it");
            breaches.dropped(length);
        }
    }

    private int cutAt;

    /** A connection error: GOAWAY with this code, and nothing from {@code at} on reaches the parser. */
    private void raise(int at, int code, String why) {
        broken = true;
        cutAt = at;
        if (breaches != null) {
            breaches.connectionError(code, why);
        }
    }

    /**
     * What the peer may still send in DATA frames on this connection: 65,535 to begin with (RFC 9113 6.9.2; the
     * connection window is not changed by SETTINGS), plus every connection WINDOW_UPDATE the server sent. Any thread
     * (the server may give credit where a body is read).
     */
    private final java.util.concurrent.atomic.AtomicLong connectionWindow = new java.util.concurrent.atomic.AtomicLong(
            65_535);

    /** The server sent WINDOW_UPDATE(0, delta). Any thread. */
    void credit(int delta) {
        connectionWindow.addAndGet(delta);
    }

    /**
     * Follows the stream dependency of a PRIORITY frame (or of a HEADERS frame with the PRIORITY flag and no
     * padding): a stream that depends on itself is a stream error (RFC 9113 5.3.1), which Undertow checks only for
     * streams it does not know yet.
     */
    private void priorityPayload(ByteBuffer buf, int i, int to) {
        if ((head[3] & 0xff) == HEADERS && (head[4] & 0x8) != 0) {
            dependencyBytes = -1; // padded: the dependency sits after the pad length; Undertow checks new streams
            return;
        }
        for (int k = i; k < to && dependencyBytes < 4 && k - i < payloadLeft; k++) {
            dependency = dependency << 8 | (buf.get(k) & 0xff);
            dependencyBytes++;
        }
        if (dependencyBytes == 4) {
            dependencyBytes = -1;
            if ((dependency & 0x7fffffff) == priorityStream && priorityStream != 0 && breaches != null
                    && (head[3] & 0xff) == PRIORITY) {
                breaches.streamError(priorityStream, 0x1, "PRIORITY frame making stream " + priorityStream
                        + " depend on itself");
            }
        }
    }

    private Http2LingeringClose linger;

    /**
     * Starts the connection's lingering close ({@link Http2LingeringClose}) unless one runs already; {@code close}
     * closes the socket when it ends. From now on nothing read reaches the parser. The connection's I/O thread.
     *
     * @return true when the caller must leave the closing to the linger
     */
    boolean linger(Runnable close) {
        if (linger != null) {
            return linger.active();
        }
        broken = true;
        linger = Http2LingeringClose.start(next, close);
        return linger.active();
    }

    /** Undertow shuts the read side when a connection breaks: while lingering the linger owns it. */
    @Override
    public void terminateReads() throws IOException {
        if (linger == null || !linger.active()) {
            next.terminateReads();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new org.xnio.conduits.ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }
}
