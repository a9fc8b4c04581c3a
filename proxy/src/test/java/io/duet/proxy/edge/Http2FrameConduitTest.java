package io.duet.proxy.edge;

import org.junit.jupiter.api.Test;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header blocks in one piece: whatever way the network splits a connection's bytes, what {@link Http2FrameConduit}
 * hands to Undertow's parser never ends exactly at a frame boundary inside an open header block, and every byte
 * arrives once, in order.
 * The input: the client preface, SETTINGS, a HEADERS frame without END_HEADERS, an empty CONTINUATION, a CONTINUATION
 * without END_HEADERS, the last CONTINUATION, a DATA frame.
 */
class Http2FrameConduitTest {
    private static final byte[] INPUT;
    /** Offsets at which a read must not end: after HEADERS, after each CONTINUATION but the last. */
    private static final Set<Integer> FORBIDDEN = new HashSet<>();

    static {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(b, 0x4, 0, 0, new byte[6]);
        frame(b, 0x1, 0x1, 1, new byte[20]);      // HEADERS, END_STREAM, no END_HEADERS
        FORBIDDEN.add(b.size());
        frame(b, 0x9, 0, 1, new byte[0]);        // empty CONTINUATION
        FORBIDDEN.add(b.size());
        frame(b, 0x9, 0, 1, new byte[7]);        // CONTINUATION
        FORBIDDEN.add(b.size());
        frame(b, 0x9, 0x4, 1, new byte[5]);      // CONTINUATION, END_HEADERS
        frame(b, 0x0, 0x1, 3, new byte[30]);     // DATA of another stream
        INPUT = b.toByteArray();
    }

    private static void frame(ByteArrayOutputStream b, int type, int flags, int stream, byte[] payload) {
        b.write(payload.length >>> 16);
        b.write(payload.length >>> 8);
        b.write(payload.length);
        b.write(type);
        b.write(flags);
        b.writeBytes(new byte[]{0, 0, 0, (byte) stream});
        b.writeBytes(payload);
    }

    // Every split of the input into two network reads, and reads into destinations of every size from 1 to 64.
    @Test
    void neverEndsInsideAnOpenBlockAtAFrameBoundary() throws Exception {
        for (int cut = 1; cut < INPUT.length; cut++) {
            for (int room : new int[]{1, 2, 3, 9, 64, 4096}) {
                check(List.of(Arrays.copyOfRange(INPUT, 0, cut), Arrays.copyOfRange(INPUT, cut, INPUT.length)),
                        room, "cut " + cut + ", room " + room);
            }
        }
    }

    // One byte per network read: the worst trickle.
    @Test
    void byteByByte() throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : INPUT) {
            chunks.add(new byte[]{b});
        }
        check(chunks, 4096, "byte by byte");
    }

    // Bytes read before the conduit was in place (what ALPN left over) are followed too.
    @Test
    void leftoverEndingInsideTheBlockIsHeldBack() throws Exception {
        int cut = FORBIDDEN.iterator().next();
        for (int end : FORBIDDEN) {
            cut = Math.min(cut, end);
        }
        Chunks source = new Chunks(List.of(Arrays.copyOfRange(INPUT, cut, INPUT.length)));
        Http2FrameConduit conduit = new Http2FrameConduit(source);
        ByteBuffer leftover = ByteBuffer.wrap(Arrays.copyOfRange(INPUT, 0, cut));
        conduit.admit(leftover);
        assertThat(leftover.remaining()).as("the last byte of HEADERS kept back").isEqualTo(cut - 1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(leftover.array(), 0, leftover.limit());
        drain(conduit, 4096, all, all.size(), "leftover");
        assertThat(all.toByteArray()).isEqualTo(INPUT);
    }

    private static void check(List<byte[]> chunks, int room, String what) throws Exception {
        Http2FrameConduit conduit = new Http2FrameConduit(new Chunks(chunks));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        drain(conduit, room, all, 0, what);
        assertThat(all.toByteArray()).as("all bytes, in order (%s)", what).isEqualTo(INPUT);
    }

    private static void drain(Http2FrameConduit conduit, int room, ByteArrayOutputStream all, int delivered,
                              String what) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(room);
        for (int guard = 0; guard < 100_000; guard++) {
            dst.clear();
            int n = conduit.read(dst);
            if (n < 0) {
                return;
            }
            if (n == 0 && dst.capacity() == 1) {
                // room for one byte only, and that byte would end the read inside the block: Undertow reads again
                // with more room once it parsed what it has; so does this reader
                dst = ByteBuffer.allocate(2);
            }
            all.write(dst.array(), 0, n);
            delivered += n;
            if (n > 0) {
                assertThat(FORBIDDEN).as("a read ended at offset %d inside an open header block (%s)", delivered,
                        what).doesNotContain(delivered);
            }
        }
        throw new AssertionError("the conduit never reached the end (" + what + ")");
    }

    /** The network: hands out the chunks one per read (as much as fits), then the end of stream. */
    private static final class Chunks implements StreamSourceConduit {
        private final Deque<ByteBuffer> chunks = new ArrayDeque<>();

        Chunks(List<byte[]> list) {
            list.forEach(c -> chunks.add(ByteBuffer.wrap(c)));
        }

        @Override
        public int read(ByteBuffer dst) {
            ByteBuffer c = chunks.peek();
            if (c == null) {
                return -1;
            }
            int n = Math.min(c.remaining(), dst.remaining());
            for (int i = 0; i < n; i++) {
                dst.put(c.get());
            }
            if (!c.hasRemaining()) {
                chunks.poll();
            }
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) {
            return read(dsts[offs]);
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void terminateReads() {
        }

        @Override
        public boolean isReadShutdown() {
            return false;
        }

        @Override
        public void resumeReads() {
        }

        @Override
        public void suspendReads() {
        }

        @Override
        public void wakeupReads() {
        }

        @Override
        public boolean isReadResumed() {
            return false;
        }

        @Override
        public void awaitReadable() {
        }

        @Override
        public void awaitReadable(long time, TimeUnit timeUnit) {
        }

        @Override
        public XnioIoThread getReadThread() {
            return null;
        }

        @Override
        public void setReadReadyHandler(ReadReadyHandler handler) {
        }

        @Override
        public XnioWorker getWorker() {
            return null;
        }
    }
}
