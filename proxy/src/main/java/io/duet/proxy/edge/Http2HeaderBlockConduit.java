package io.duet.proxy.edge;

import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The read side of an HTTP/2 connection, between the socket (or TLS) and Undertow's frame parser, that keeps each
 * header block in one piece. Undertow dispatches a request as soon as its HEADERS frame is parsed when the bytes read
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
 * <p>Only the 9-byte frame headers are followed (length, type, flags); payloads pass through uncopied, and at most one
 * byte is ever held. A peer that never completes its block gets nothing dispatched: the connection's idle timeout and
 * the header-list limit end it.
 *
 * <p>Thread: the connection's I/O thread, like every read of the connection.
 */
final class Http2HeaderBlockConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private static final int PREFACE_BYTES = 24;
    private static final int HEADERS = 0x1;
    private static final int PUSH_PROMISE = 0x5;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private int prefaceLeft = PREFACE_BYTES;
    private final byte[] head = new byte[9];
    private int headRead;
    private int payloadLeft;
    /** The last frame header seen began or continued a header block without ending it. */
    private boolean blockOpen;
    /** The byte kept back, or -1. */
    private int held = -1;
    private boolean eof;

    Http2HeaderBlockConduit(StreamSourceConduit next) {
        super(next);
    }

    /**
     * Bytes the connection read before this conduit was in place (what ALPN left over): followed like any read,
     * and the last one kept back (the buffer's limit lowered) when they end inside an open header block.
     */
    void admit(ByteBuffer leftover) {
        int end = leftover.limit();
        if (end > leftover.position() && follow(leftover, leftover.position(), end)) {
            held = leftover.get(end - 1) & 0xff;
            leftover.limit(end - 1);
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
        int end = dst.position();
        if (end == start) {
            return n < 0 ? -1 : 0;
        }
        if (!eof && follow(dst, start, end)) {
            held = dst.get(end - 1) & 0xff;
            dst.position(end - 1);
        }
        return dst.position() - start;
    }

    /**
     * Follows the frame headers in {@code buf[from, to)}; true when the last byte ends a frame inside a header block
     * that is still open (that byte is then not counted: the caller keeps it back and it is followed again later).
     */
    private boolean follow(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; ) {
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, to - i);
                prefaceLeft -= n;
                i += n;
            } else if (headRead < 9) {
                head[headRead++] = buf.get(i);
                if (headRead == 9) {
                    boolean wasOpen = blockOpen;
                    payloadLeft = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
                    int type = head[3] & 0xff;
                    blockOpen = (type == HEADERS || type == PUSH_PROMISE || type == CONTINUATION)
                            && (head[4] & END_HEADERS) == 0;
                    if (payloadLeft == 0) {
                        headRead = 0;
                        if (i == to - 1 && blockOpen) {
                            headRead = 8;
                            blockOpen = wasOpen;
                            return true;
                        }
                    }
                }
                i++;
            } else {
                int n = Math.min(payloadLeft, to - i);
                if (i + n == to && n == payloadLeft && blockOpen) {
                    payloadLeft = 1; // the last byte is kept back and followed again with the next read
                    return true;
                }
                payloadLeft -= n;
                i += n;
                if (payloadLeft == 0) {
                    headRead = 0;
                }
            }
        }
        return false;
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
