package io.duet.proxy.edge;

import io.duet.proxy.response.EdgeError;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import static io.duet.proxy.message.ProxyMessage.EDGE_CONNECTION_REJECTED;

/**
 * The bottom of every edge connection's read side: runs each request head's raw bytes through a
 * {@link HeadScanner} as they arrive and answers 414 (request line), 431 (header bytes or count), 408 (header
 * deadline) or 400 (malformed head, PROXY header from an untrusted peer, malformed chunked body) itself, before
 * Undertow's parser could only say 400. After the head it passes bytes through untouched until {@link #rearm} is
 * called when the exchange completes.
 *
 * <p>It also owns how a connection is rejected ({@link #reject}): the response is written straight to the
 * socket, writes are shut down (the client sees EOF right after the response), reads are taken away from
 * Undertow and drained for a short linger time so that unread request bytes cannot turn the close into a
 * reset that destroys the response; then the connection is closed.
 *
 * <p>Threads: reads come from the connection's I/O thread, or from a worker thread while a handler reads a
 * request body in blocking mode; {@link #rearm} runs on whichever thread ends the exchange, while Undertow
 * does not read. {@link #reject} may be called from any thread; only the first call acts.
 */
final class HeadGuardConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private static final int HEAD = 0;
    private static final int PASS = 1;
    private static final int REJECTED = 2;

    /** Longest time a rejected connection is drained before it is closed. */
    static final long LINGER_MS = 2_000;
    private static final AtomicIntegerFieldUpdater<HeadGuardConduit> PHASE =
            AtomicIntegerFieldUpdater.newUpdater(HeadGuardConduit.class, "phase");

    private final StreamConnection connection;
    private final StreamSinkConduit rawSink;
    private final EdgeSettings settings;

    private volatile int phase = HEAD;

    /** The current request head's scanner; touched only by the thread that reads (see class comment). */
    private final HeadScanner scanner;
    /** When the first byte of the current head arrived; the deadline counts from here. */
    private long headStartNanos;
    private int generation;
    private XnioExecutor.Key deadline;

    HeadGuardConduit(StreamConnection connection, EdgeSettings settings) {
        super(connection.getSourceChannel().getConduit());
        this.connection = connection;
        this.rawSink = connection.getSinkChannel().getConduit();
        this.settings = settings;
        this.scanner = new HeadScanner(settings.maxRequestLineBytes(), settings.maxHeaderBytes(),
                settings.maxHeaderCount());
    }

    /**
     * Puts this guard at the bottom of the connection's read side and a {@link SinkGuard} above its raw write side.
     * XNIO's {@code setConduit} swaps a channel's conduit without routing read-ready events through the new one, so
     * the guard takes them over here, forwarding them to the channel's read listener: the lazy suspend below only
     * works when every read event passes through it. The connection's I/O thread, before Undertow sees it.
     */
    void install() {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.setConduit(this);
        setReadReadyHandler(new ReadReadyHandler.ChannelListenerHandler<>(source));
        connection.getSinkChannel().setConduit(new SinkGuard(rawSink, this));
    }

    boolean rejected() {
        return phase == REJECTED;
    }

    /** The drain registration of this connection (its local address is a VIP), or null. */
    volatile AddressDrains.Entry drainEntry;

    /**
     * True for a keep-alive connection waiting for its next request (at least one served, no byte of the next
     * one seen). A fresh connection is not idle: its first request is on its way. The reading I/O thread only.
     */
    boolean idleAfterARequest() {
        return phase == HEAD && !scanner.started() && !scanner.firstRequest();
    }

    /** The connection this guard protects. */
    StreamConnection connection() {
        return connection;
    }

    /**
     * Scans bytes that Undertow already holds for the next request (sent before the previous exchange ended, or
     * after a PROXY header) as the start of a new head. Called when a connection opens and when an exchange
     * completes; an upgraded connection is never rearmed.
     *
     * @return false when those bytes broke a limit and the connection is being rejected
     */
    boolean rearm(PooledByteBuffer pending) {
        if (phase == REJECTED) {
            return false;
        }
        resetScanner();
        phase = HEAD;
        if (pending != null) {
            ByteBuffer b = pending.getBuffer();
            int r = scan(b, b.position(), b.limit());
            if (r >= HeadScanner.BAD_REQUEST) {
                reject(responseFor(r));
                return false;
            }
            if (r == HeadScanner.CONTINUE) {
                armDeadlineIfIncomplete();
            }
        }
        return true;
    }

    /** Called when Undertow has upgraded the connection: it no longer carries HTTP/1 heads. */
    void passForever() {
        cancelDeadline();
        PHASE.compareAndSet(this, HEAD, PASS);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int p = phase;
        if (p == PASS) {
            if (!scanner.inChunkedBody()) {
                return next.read(dst);
            }
            int pos = dst.position();
            int n = next.read(dst);
            if (n > 0 && scanner.scanBody(dst, pos, pos + n) == HeadScanner.BAD_CHUNKING) {
                dst.position(pos);
                reject(responseFor(HeadScanner.BAD_CHUNKING));
                return 0;
            }
            return n;
        }
        if (p == REJECTED) {
            throw new IOException(EDGE_CONNECTION_REJECTED + " connection rejected by the edge");
        }
        int pos = dst.position();
        int n = next.read(dst);
        if (n <= 0) {
            return n;
        }
        int r = scan(dst, pos, pos + n);
        if (r == HeadScanner.DONE && scanner.inChunkedBody()) {
            r = scanner.scanBody(dst, scanner.headEnd(), pos + n);
        }
        if (r >= HeadScanner.BAD_REQUEST) {
            // Undertow must not parse what we refused: hand it nothing and take the connection over.
            dst.position(pos);
            reject(responseFor(r));
            return 0;
        }
        if (r == HeadScanner.CONTINUE) {
            armDeadlineIfIncomplete();
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (phase == PASS && !scanner.inChunkedBody()) {
            return next.read(dsts, offs, len);
        }
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        if (phase == PASS && !scanner.inChunkedBody()) {
            return next.transferTo(position, count, target);
        }
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        if (phase == PASS && !scanner.inChunkedBody()) {
            return next.transferTo(count, throughBuffer, target);
        }
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    // Once rejected, the drain owns reads: Undertow's attempts to resume or suspend them are ignored.
    //
    // Lazy suspend: Undertow suspends reads on this (its "original") conduit for every request and resumes them
    // when the response is done. Each real toggle is an epoll_ctl system call, two per request. Instead a suspend
    // only sets a flag; reads really stop when a read event arrives while the flag is set (the client pipelined or
    // closed during a request), which is rare. Suspend and resume may come from any thread; the read-ready path
    // runs on the I/O thread and re-checks the flag after a real suspend so a concurrent resume is never lost.
    // It needs every read event of the conduit below (install() routes them here): over TLS that conduit is
    // Undertow's SslConduit, which re-runs its read-ready handler by itself while it holds undecrypted bytes and
    // reads are resumed, and closes the connection as a read loop (UT005076) once that makes no progress 100 times.

    private volatile boolean lazilySuspended;
    private ReadReadyHandler upper;
    private final ReadReadyHandler lazyReady = new ReadReadyHandler() {
        @Override
        public void readReady() {
            if (lazilySuspended) {
                next.suspendReads();
                if (!lazilySuspended) {
                    next.resumeReads();
                }
                return;
            }
            ReadReadyHandler h = upper;
            if (h != null) {
                h.readReady();
            }
        }

        @Override
        public void forceTermination() {
            ReadReadyHandler h = upper;
            if (h != null) {
                h.forceTermination();
            }
        }

        @Override
        public void terminated() {
            ReadReadyHandler h = upper;
            if (h != null) {
                h.terminated();
            }
        }
    };

    @Override
    public void resumeReads() {
        if (phase != REJECTED) {
            lazilySuspended = false;
            next.resumeReads();
        }
    }

    @Override
    public void suspendReads() {
        if (phase != REJECTED) {
            lazilySuspended = true;
        }
    }

    @Override
    public boolean isReadResumed() {
        return !lazilySuspended && next.isReadResumed();
    }

    @Override
    public void wakeupReads() {
        if (phase != REJECTED) {
            lazilySuspended = false;
            next.wakeupReads();
        }
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        if (phase != REJECTED) {
            upper = handler;
            next.setReadReadyHandler(handler == null ? null : lazyReady);
        }
    }

    /**
     * Ends the connection on the edge's terms: writes {@code response} (when not null) straight to the socket,
     * shuts writes down, drains and discards what the client still sends for up to {@link #LINGER_MS}, then
     * closes. With a null response (a response had already started) it closes at once. Any thread; idempotent.
     */
    void reject(byte[] response) {
        int p;
        do {
            p = phase;
            if (p == REJECTED) {
                return;
            }
        } while (!PHASE.compareAndSet(this, p, REJECTED));
        cancelDeadline();
        if (response == null) {
            IoUtils.safeClose(connection);
            return;
        }
        try {
            ByteBuffer out = ByteBuffer.wrap(response);
            rawSink.write(out);
            if (out.hasRemaining()) {
                // A client that does not read its socket gets no answer; our responses are a few hundred bytes.
                IoUtils.safeClose(connection);
                return;
            }
            rawSink.terminateWrites();
            rawSink.flush();
        } catch (IOException e) {
            IoUtils.safeClose(connection);
            return;
        }
        Drain drain = new Drain();
        next.setReadReadyHandler(drain);
        next.resumeReads();
        try {
            drain.key = connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection),
                    LINGER_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            IoUtils.safeClose(connection);
        }
    }

    /** The response for a rejection of the scanner, counting it in the listener's events. */
    private byte[] responseFor(int code) {
        switch (code) {
            case HeadScanner.REQUEST_LINE_TOO_LONG:
                settings.events().requestLineTooLong();
                return EdgeError.URI_TOO_LONG.http1();
            case HeadScanner.HEADERS_TOO_LARGE:
                settings.events().headersTooLarge();
                return EdgeError.HEADERS_TOO_LARGE.http1();
            case HeadScanner.TOO_MANY_HEADERS:
                settings.events().tooManyHeaders();
                return EdgeError.HEADERS_TOO_LARGE.http1();
            case HeadScanner.PROXY_HEADER:
                settings.events().proxyProtocolRejected();
                return EdgeError.PROXY_REJECTED.http1();
            case HeadScanner.BAD_CHUNKING:
                settings.events().badRequest();
                return EdgeError.BAD_FRAMING.http1();
            default:
                settings.events().badRequest();
                return EdgeError.BAD_REQUEST.http1();
        }
    }

    private void resetScanner() {
        cancelDeadline();
        generation++;
        scanner.reset();
    }

    /** Scans head bytes {@code b[from, to)}: times the head from its first byte, and passes the rest once it ends. */
    private int scan(ByteBuffer b, int from, int to) {
        boolean wasStarted = scanner.started();
        int r = scanner.scan(b, from, to);
        if (!wasStarted && scanner.started()) {
            headStartNanos = System.nanoTime();
        }
        if (r == HeadScanner.DONE) {
            headEnded();
        }
        return r;
    }

    private void headEnded() {
        cancelDeadline();
        phase = PASS;
    }

    /**
     * Arms the header deadline once a read ended with the head still incomplete. A head that arrives whole in one
     * read (the usual keep-alive request) never needs a timer; a trickled one is timed from its first byte.
     */
    private void armDeadlineIfIncomplete() {
        if (scanner.started() && deadline == null && phase == HEAD) {
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - headStartNanos);
            armDeadline(Math.max(1, settings.headerTimeoutMs() - elapsedMs));
        }
    }

    private void armDeadline(long delayMs) {
        final int gen = generation;
        try {
            deadline = connection.getIoThread().executeAfter(() -> headerDeadline(gen),
                    delayMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // The worker is shutting down; the connection goes with it.
            deadline = null;
        }
    }

    private void headerDeadline(int gen) {
        if (phase == HEAD && generation == gen && connection.isOpen()) {
            settings.events().headerTimeout();
            reject(EdgeError.REQUEST_TIMEOUT.http1());
        }
    }

    private void cancelDeadline() {
        XnioExecutor.Key k = deadline;
        if (k != null) {
            k.remove();
            deadline = null;
        }
    }

    /** Discards what a rejected client still sends; closes at its EOF. I/O thread. */
    private final class Drain implements ReadReadyHandler {
        private final ByteBuffer scratch = ByteBuffer.allocate(4096);
        volatile XnioExecutor.Key key;

        @Override
        public void readReady() {
            try {
                while (true) {
                    scratch.clear();
                    int n = next.read(scratch);
                    if (n == 0) {
                        return;
                    }
                    if (n < 0) {
                        close();
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        private void close() {
            XnioExecutor.Key k = key;
            if (k != null) {
                k.remove();
            }
            IoUtils.safeClose(connection);
        }

        @Override
        public void forceTermination() {
            IoUtils.safeClose(connection);
        }

        @Override
        public void terminated() {
        }
    }
}
