package io.duet.proxy.edge;

import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.ConduitFactory;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * One exchange's request-body guard: the size limit (413) and the slow-body limits (408), enforced as the body
 * is read, whoever reads it (router, proxy client, a handler in blocking mode).
 *
 * <p>Slow body: the clock only runs while the reader waits for the client (a read returned 0), so a slow
 * backend that stops us reading is never blamed on the client. A wait longer than {@code bodyTimeoutMs} fails,
 * and so does an average rate below {@code minBodyBytesPerSecond} once the body has been read for a second
 * while the reader is waiting. A periodic check on the connection's I/O thread enforces it even when nobody
 * reads; it stops when the body ends or the exchange completes.
 *
 * <p>Threads: the limit may be changed from any thread ({@link EdgeLimits#setMaxBody}); reads come from one
 * thread at a time.
 */
final class BodyGuard implements ConduitWrapper<StreamSourceConduit> {

    static final io.undertow.util.AttachmentKey<BodyGuard> KEY = io.undertow.util.AttachmentKey.create(BodyGuard.class);

    private final HttpServerExchange exchange;
    private final HeadGuardConduit head;
    private final EdgeSettings settings;
    private final long checkEveryMs;

    private volatile long maxBytes;
    private volatile long bytes;
    private volatile long firstReadNanos;   // 0 until the first read attempt
    private volatile long waitingSinceNanos; // 0 while not waiting for the client
    private volatile boolean finished;
    private XnioExecutor.Key timer;

    /** True when the edge rejected the connection (it now answers and drains on its own). */
    boolean headRejected() {
        return head.rejected();
    }

    BodyGuard(HttpServerExchange exchange, HeadGuardConduit head, EdgeSettings settings) {
        this.exchange = exchange;
        this.head = head;
        this.settings = settings;
        this.maxBytes = settings.maxBodyBytes();
        this.checkEveryMs = Math.max(20, Math.min(settings.bodyTimeoutMs(), 1000) / 4);
    }

    /** Starts the periodic slow-body check. The exchange's I/O thread or its handler's thread. */
    void start() {
        schedule();
    }

    /** Stops the check (exchange completed). Any thread. */
    void stop() {
        finished = true;
        XnioExecutor.Key k = timer;
        if (k != null) {
            k.remove();
        }
    }

    EdgeSettings settings() {
        return settings;
    }

    long maxBytes() {
        return maxBytes;
    }

    void maxBytes(long max) {
        this.maxBytes = max;
    }

    @Override
    public StreamSourceConduit wrap(ConduitFactory<StreamSourceConduit> factory, HttpServerExchange ex) {
        return new Counting(factory.create());
    }

    private void schedule() {
        if (finished) {
            return;
        }
        try {
            timer = exchange.getIoThread().executeAfter(this::check, checkEveryMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            timer = null; // worker shutting down
        }
    }

    /** I/O thread. */
    private void check() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        long waiting = waitingSinceNanos;
        long first = firstReadNanos;
        boolean tooSlow = false;
        if (waiting != 0 && now - waiting > TimeUnit.MILLISECONDS.toNanos(settings.bodyTimeoutMs())) {
            tooSlow = true;
        } else if (waiting != 0 && first != 0 && settings.minBodyBytesPerSecond() > 0) {
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(now - first);
            if (elapsedMs > 1000 && bytes * 1000 / elapsedMs < settings.minBodyBytesPerSecond()) {
                tooSlow = true;
            }
        }
        if (tooSlow) {
            finished = true;
            settings.events().slowBody();
            head.reject(exchange.isResponseStarted() ? null : EdgeResponses.REQUEST_TIMEOUT);
            return;
        }
        schedule();
    }

    /**
     * A read below us failed: malformed chunking, or the client went away. Either way the connection is done;
     * a client still listening learns it sent a bad body (400), a gone one costs a failed write.
     */
    private IOException badBody(IOException e) {
        if (!finished && !head.rejected()) {
            finished = true;
            settings.events().badRequest();
            head.reject(exchange.isResponseStarted() ? null : EdgeResponses.BAD_FRAMING);
        }
        return e;
    }

    private void overLimit() throws IOException {
        finished = true;
        settings.events().bodyTooLarge();
        head.reject(exchange.isResponseStarted() ? null : EdgeResponses.TOO_LARGE);
        throw new IOException("DUET-EDGE-0413 request body over the limit of " + maxBytes + " bytes");
    }

    /** Counts body bytes and marks when the reader waits for the client. */
    private final class Counting extends AbstractStreamSourceConduit<StreamSourceConduit> {
        Counting(StreamSourceConduit next) {
            super(next);
        }

        private int account(long n) throws IOException {
            long now = System.nanoTime();
            if (firstReadNanos == 0) {
                firstReadNanos = now;
            }
            if (n > 0) {
                waitingSinceNanos = 0;
                long total = bytes + n;
                bytes = total;
                if (total > maxBytes) {
                    overLimit();
                }
            } else if (n == 0) {
                if (waitingSinceNanos == 0) {
                    waitingSinceNanos = now;
                }
            } else {
                stop();
            }
            return (int) Math.min(n, Integer.MAX_VALUE);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n;
            try {
                n = next.read(dst);
            } catch (IOException e) {
                throw badBody(e);
            }
            account(n);
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            long n;
            try {
                n = next.read(dsts, offs, len);
            } catch (IOException e) {
                throw badBody(e);
            }
            account(n);
            return n;
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return Conduits.transfer(this, count, throughBuffer, target);
        }
    }
}
