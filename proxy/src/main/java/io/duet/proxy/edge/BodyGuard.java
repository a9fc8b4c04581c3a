package io.duet.proxy.edge;

import io.duet.proxy.request.RequestContext;
import io.duet.proxy.response.EdgeError;
import io.duet.proxy.response.ErrorResponses;
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

import static io.duet.proxy.message.ProxyMessage.EDGE_BODY_TOO_LARGE;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_MALFORMED;

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
final class BodyGuard implements ConduitWrapper<StreamSourceConduit>, RequestContext.Guard {

    /** The body guard the edge put in the exchange's request context, or {@code null} (no body, or no edge). */
    static BodyGuard of(HttpServerExchange exchange) {
        RequestContext ctx = RequestContext.peek(exchange);
        return ctx == null ? null : (BodyGuard) ctx.bodyGuard();
    }

    private final HttpServerExchange exchange;
    private final HeadGuardConduit head;
    private final EdgeSettings settings;
    private final long checkEveryMs;

    private volatile long maxBytes;
    /** HTTP/2: the content-length the request declared, or -1; its DATA must add up to exactly this. */
    private volatile long declaredBytes = -1;
    private volatile long bytes;
    private volatile long firstReadNanos;   // 0 until the first read attempt
    private volatile long waitingSinceNanos; // 0 while not waiting for the client
    private volatile boolean finished;
    private XnioExecutor.Key timer;

    /** Set when this guard answered an HTTP/2 stream itself (HTTP/1.1: the head guard's state). */
    private volatile boolean streamRejected;

    /**
     * True when the edge rejected the connection (HTTP/1.1: it now answers and drains on its own) or, for an
     * HTTP/2 stream ({@code head} null), took the stream over to answer it.
     */
    boolean headRejected() {
        return head != null ? head.rejected() : streamRejected;
    }

    /**
     * @param head the connection's head guard (HTTP/1.1), or null for an HTTP/2 stream: then a rejection answers
     *             the stream itself (or resets it when its response has started) and the connection goes on
     */
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

    /**
     * HTTP/2: the stream's DATA must add up to exactly this content-length (RFC 9113 8.1.1). Over it or short of it
     * at the end, the request is malformed: the read fails (nothing of that read reaches the server, and the
     * server's connection is not reused) and the stream is reset with PROTOCOL_ERROR. HTTP/1.1 needs no such check:
     * its framing is the content-length.
     */
    void declaredLength(long declared) {
        this.declaredBytes = declared;
    }

    /**
     * HTTP/2: the stream turned out malformed after its body began (its trailers; the stream is being reset): the
     * read that delivered them and every later one fail, so the request never ends well towards the server. Called
     * by Undertow inside a read of the body, on the thread reading it.
     */
    void malformed() {
        finished = true;
        streamRejected = true;
        malformed = true;
    }

    private volatile boolean malformed;

    private void lengthMismatch(long total) throws IOException {
        finished = true;
        streamRejected = true;
        settings.events().http2Malformed();
        String why = "DATA adding up to " + (total < 0 ? "less than" : "more than") + " content-length "
                + declaredBytes;
        exchange.getIoThread().execute(() -> {
            try {
                Http2Guard.reset(exchange, why);
            } catch (IOException e) {
                org.xnio.IoUtils.safeClose(exchange.getConnection());
            }
        });
        throw new IOException(EDGE_H2_MALFORMED + " malformed HTTP/2 request: " + why);
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
            reject(EdgeError.REQUEST_TIMEOUT);
            return;
        }
        schedule();
    }

    /**
     * A read below us failed: malformed chunking, or the client went away. Either way the connection is done;
     * a client still listening learns it sent a bad body (400), a gone one costs a failed write.
     */
    private IOException badBody(IOException e) {
        if (!finished && !headRejected()) {
            finished = true;
            settings.events().badRequest();
            reject(EdgeError.BAD_FRAMING);
        }
        return e;
    }

    /**
     * HTTP/1.1: the head guard answers (unless the response started) and closes after draining. HTTP/2: the stream
     * is answered from a task on its I/O thread (never from inside a read of the forwarder, which then sees
     * {@link #headRejected} and lets go of the exchange), or reset when its response has started.
     */
    private void reject(EdgeError error) {
        if (head != null) {
            head.reject(exchange.isResponseStarted() ? null : ErrorResponses.http1Closing(exchange, error));
            return;
        }
        rejectStream(error);
    }

    /** HTTP/2: answers the stream with this status from a task on its I/O thread (see {@link #reject}). */
    void rejectStream(EdgeError error) {
        streamRejected = true;
        exchange.getIoThread().execute(() -> {
            if (exchange.isComplete()) {
                return;
            }
            if (exchange.isResponseStarted()) {
                org.xnio.IoUtils.safeClose(exchange.getConnection()); // RST_STREAM for this stream only
                return;
            }
            ErrorResponses.sendText(exchange, error);
        });
    }

    private void overLimit() throws IOException {
        finished = true;
        settings.events().bodyTooLarge();
        reject(EdgeError.TOO_LARGE);
        throw new IOException(EDGE_BODY_TOO_LARGE + " request body over the limit of " + maxBytes + " bytes");
    }

    /** Counts body bytes and marks when the reader waits for the client. */
    private final class Counting extends AbstractStreamSourceConduit<StreamSourceConduit> {
        Counting(StreamSourceConduit next) {
            super(next);
        }

        private int account(long n) throws IOException {
            if (malformed) {
                // checked after the read: Undertow hands a stream's trailers over inside the read that ends it
                throw new IOException(EDGE_H2_MALFORMED + " malformed HTTP/2 request: stream reset");
            }
            long now = System.nanoTime();
            if (firstReadNanos == 0) {
                firstReadNanos = now;
            }
            if (n > 0) {
                waitingSinceNanos = 0;
                long total = bytes + n;
                bytes = total;
                long declared = declaredBytes;
                if (declared >= 0 && total > declared) {
                    lengthMismatch(total);
                }
                if (total > maxBytes) {
                    overLimit();
                }
            } else if (n == 0) {
                if (waitingSinceNanos == 0) {
                    waitingSinceNanos = now;
                }
            } else {
                stop();
                long declared = declaredBytes;
                if (declared >= 0 && bytes != declared) {
                    lengthMismatch(-1);
                }
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
