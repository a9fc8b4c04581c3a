package io.duet.proxy.edge;

import org.xnio.XnioExecutor;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The end of an HTTP/2 connection after the server's GOAWAY, as a lingering close (nginx's {@code lingering_close},
 * HAProxy's drain on close): the write side is already shut (the GOAWAY and the end of stream are on their way), and
 * what the peer still sends is read and dropped until it closes its side, {@value #LINGER_MS} ms pass or
 * {@value #MAX_BYTES} bytes were dropped; only then does the socket close. Closing a socket with unread bytes, or
 * with bytes still arriving, makes the kernel reset the connection, and the reset destroys the GOAWAY that explains
 * the close before the peer reads it. Undertow closes at once, so a peer that was still sending when it broke a rule
 * never learned which.
 *
 * <p>Thread: the connection's I/O thread (started there; the reads and the timer run there).
 */
final class Http2LingeringClose implements ReadReadyHandler {
    static final long LINGER_MS = 2_000;
    static final long MAX_BYTES = 1 << 20;

    private final StreamSourceConduit source;
    private final Runnable close;
    private final ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
    private XnioExecutor.Key timer;
    private long dropped;
    private boolean done;

    private Http2LingeringClose(StreamSourceConduit source, Runnable close) {
        this.source = source;
        this.close = close;
    }

    /** Starts lingering on {@code source} (the connection's read side below Duet's conduits); {@code close} ends it. */
    static Http2LingeringClose start(StreamSourceConduit source, Runnable close) {
        Http2LingeringClose l = new Http2LingeringClose(source, close);
        source.setReadReadyHandler(l);
        l.drain();
        if (!l.done) {
            l.timer = source.getReadThread().executeAfter(l::finish, LINGER_MS, TimeUnit.MILLISECONDS);
            source.resumeReads();
        }
        return l;
    }

    /** True until the socket is to close. */
    boolean active() {
        return !done;
    }

    @Override
    public void readReady() {
        drain();
    }

    @Override
    public void forceTermination() {
        finish();
    }

    @Override
    public void terminated() {
        finish();
    }

    private void drain() {
        try {
            while (!done) {
                sink.clear();
                int n = source.read(sink);
                if (n < 0) {
                    finish(); // the peer closed its side: nothing more can come
                } else if (n == 0) {
                    return;
                } else if ((dropped += n) > MAX_BYTES) {
                    finish();
                }
            }
        } catch (IOException | RuntimeException e) {
            finish();
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.remove();
        }
        source.suspendReads();
        close.run();
    }
}
