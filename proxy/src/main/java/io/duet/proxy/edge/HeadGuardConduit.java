package io.duet.proxy.edge;

import io.duet.proxy.response.EdgeError;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import io.duet.proxy.http1.ChunkedDecoder;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The bottom of every edge connection's read side: watches the raw bytes of each request head as they arrive
 * and answers 414 (request line), 431 (header bytes or count), 408 (header deadline) or 400 (PROXY header from
 * an untrusted peer) itself, before Undertow's parser could only say 400. After the head it passes bytes
 * through untouched until {@link #rearm} is called when the exchange completes.
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

    private static final int CONTINUE = 0;
    private static final int DONE = 1;

    /** Longest time a rejected connection is drained before it is closed. */
    static final long LINGER_MS = 2_000;
    /** Empty lines tolerated before a request line (RFC 9112 2.2 allows at least one). */
    private static final int MAX_LEADING_BLANK_BYTES = 16;
    private static final byte[] PROXY_V1 = {'P', 'R', 'O', 'X', 'Y', ' '};

    private static final long HTTP_1_1 = pack("HTTP/1.1");
    private static final long HTTP_1_0 = pack("HTTP/1.0");

    private static long pack(String s) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | s.charAt(i);
        }
        return v;
    }

    private static final AtomicIntegerFieldUpdater<HeadGuardConduit> PHASE =
            AtomicIntegerFieldUpdater.newUpdater(HeadGuardConduit.class, "phase");

    private final StreamConnection connection;
    private final StreamSinkConduit rawSink;
    private final EdgeSettings settings;

    private volatile int phase = HEAD;

    // Scanner state of the current request head; touched only by the thread that reads (see class comment).
    private boolean firstRequest = true;
    private boolean started;
    /** When the first byte of the current head arrived; the deadline counts from here. */
    private long headStartNanos;
    private boolean inRequestLine = true;
    private int leadingBlankBytes;
    private int requestLineBytes;
    private int proxyMatch;
    private long versionTail;   // last 8 bytes of the request line
    private int beforeVersion;  // the byte before them
    private int lineBytes;
    private int headerBytes;
    private int headerCount;
    private int generation;
    private XnioExecutor.Key deadline;

    // Transfer-Encoding: chunked in the current head, matched while the header lines stream by (see matchTe).
    private static final byte[] TE_NAME = "transfer-encoding:".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "chunked".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final int TE_NAME_MATCH = 0;
    private static final int TE_OTHER = 1;
    private static final int TE_VALUE_WS = 2;
    private static final int TE_VALUE = 3;
    private static final int TE_TRAILING_WS = 4;
    private int teState;
    private int teIndex;
    private boolean chunkedHead;
    /** Index just after the head in the buffer of the scan that ended it. */
    private int headEnd;
    /** While a chunked request body streams through: its strict validator (null otherwise). */
    private ChunkedDecoder chunkedBody;
    /** Status code the scanner uses for a malformed chunked body (answered 400 DUET-EDGE-0401). */
    private static final int BAD_CHUNKING = 491;

    HeadGuardConduit(StreamConnection connection, EdgeSettings settings) {
        super(connection.getSourceChannel().getConduit());
        this.connection = connection;
        this.rawSink = connection.getSinkChannel().getConduit();
        this.settings = settings;
    }

    /** The sink conduit to install above the raw one: after a rejection it swallows whatever Undertow writes. */
    StreamSinkConduit sinkGuard() {
        return new SinkGuard(rawSink);
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
        return phase == HEAD && !started && !firstRequest;
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
            if (r >= 400) {
                reject(responseFor(r));
                return false;
            }
            if (r == CONTINUE) {
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
            if (chunkedBody == null) {
                return next.read(dst);
            }
            int pos = dst.position();
            int n = next.read(dst);
            if (n > 0 && validateBody(dst, pos, pos + n) >= 400) {
                dst.position(pos);
                reject(responseFor(BAD_CHUNKING));
                return 0;
            }
            return n;
        }
        if (p == REJECTED) {
            throw new IOException("DUET-EDGE-0001 connection rejected by the edge");
        }
        int pos = dst.position();
        int n = next.read(dst);
        if (n <= 0) {
            return n;
        }
        int r = scan(dst, pos, pos + n);
        if (r == DONE && chunkedBody != null) {
            r = validateBody(dst, headEnd, pos + n);
        }
        if (r >= 400) {
            // Undertow must not parse what we refused: hand it nothing and take the connection over.
            dst.position(pos);
            reject(responseFor(r));
            return 0;
        }
        if (r == CONTINUE) {
            armDeadlineIfIncomplete();
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (phase == PASS && chunkedBody == null) {
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
        if (phase == PASS && chunkedBody == null) {
            return next.transferTo(position, count, target);
        }
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        if (phase == PASS && chunkedBody == null) {
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

    private byte[] responseFor(int code) {
        switch (code) {
            case 414:
                settings.events().requestLineTooLong();
                return EdgeError.URI_TOO_LONG.http1();
            case 431:
                return EdgeError.HEADERS_TOO_LARGE.http1();
            case 490:
                settings.events().proxyProtocolRejected();
                return EdgeError.PROXY_REJECTED.http1();
            case BAD_CHUNKING:
                settings.events().badRequest();
                return EdgeError.BAD_FRAMING.http1();
            default:
                settings.events().badRequest();
                return EdgeError.BAD_REQUEST.http1();
        }
    }

    /**
     * Follows one byte of a header line against {@code Transfer-Encoding: chunked} (name case-insensitive, value
     * exactly chunked with optional whitespace around it). The edge handler refuses any other Transfer-Encoding;
     * this only decides whether the body that follows the head is validated as chunked.
     */
    private void matchTe(byte c) {
        int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
        switch (teState) {
            case TE_NAME_MATCH:
                if (lower == TE_NAME[teIndex]) {
                    if (++teIndex == TE_NAME.length) {
                        teState = TE_VALUE_WS;
                        teIndex = 0;
                    }
                } else {
                    teState = TE_OTHER;
                }
                return;
            case TE_VALUE_WS:
                if (c == ' ' || c == '\t') {
                    return;
                }
                teState = TE_VALUE;
                // fall through to the value
            case TE_VALUE:
                if (teIndex < CHUNKED.length && lower == CHUNKED[teIndex]) {
                    teIndex++;
                } else if (teIndex == CHUNKED.length && (c == ' ' || c == '\t')) {
                    teState = TE_TRAILING_WS;
                } else {
                    teState = TE_OTHER;
                }
                return;
            case TE_TRAILING_WS:
                if (c != ' ' && c != '\t') {
                    teState = TE_OTHER;
                }
                return;
            default:
        }
    }

    /**
     * Validates raw chunked body bytes {@code b[from, to)} strictly (sizes in hex, CRLF after each chunk's data,
     * bounded extensions and trailers): Undertow's own decoder tolerates some malformed framing, and a proxy in
     * front of Duet that reads the boundaries differently must never see two requests where Duet sees one.
     *
     * @return CONTINUE (more body to come), DONE (the body ended; what follows is the next request) or
     *         {@link #BAD_CHUNKING}
     */
    private int validateBody(ByteBuffer b, int from, int to) {
        ByteBuffer v = b.duplicate();
        v.limit(to).position(from);
        try {
            while (true) {
                long avail = chunkedBody.next(v);
                if (avail == ChunkedDecoder.DONE) {
                    chunkedBody = null;
                    return DONE;
                }
                int skip = (int) Math.min(avail, v.remaining());
                if (skip == 0) {
                    return CONTINUE;
                }
                v.position(v.position() + skip);
                chunkedBody.consumed(skip);
            }
        } catch (IOException e) {
            chunkedBody = null;
            return BAD_CHUNKING;
        }
    }

    private void resetScanner() {
        cancelDeadline();
        generation++;
        started = false;
        inRequestLine = true;
        leadingBlankBytes = 0;
        requestLineBytes = 0;
        proxyMatch = 0;
        versionTail = 0;
        beforeVersion = 0;
        lineBytes = 0;
        headerBytes = 0;
        headerCount = 0;
        teState = TE_NAME_MATCH;
        teIndex = 0;
        chunkedHead = false;
        chunkedBody = null;
    }

    /**
     * Advances the head scanner over {@code b[from, to)} without moving its position.
     *
     * @return CONTINUE (head incomplete), DONE (head ended; the rest is body or the next request) or a status:
     *         414, 431, 400, or 490 for a PROXY header
     */
    private int scan(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (!started) {
                started = true;
                headStartNanos = System.nanoTime();
            }
            if (inRequestLine) {
                if (requestLineBytes == 0 && (c == '\r' || c == '\n')) {
                    if (++leadingBlankBytes > MAX_LEADING_BLANK_BYTES) {
                        return 400;
                    }
                    continue;
                }
                if (c == '\n') {
                    // Only HTTP/1.1 and HTTP/1.0 (Undertow serves other 1.x versions as if they were 1.1).
                    if (beforeVersion != ' ' || (versionTail != HTTP_1_1 && versionTail != HTTP_1_0)) {
                        return 400;
                    }
                    inRequestLine = false;
                    lineBytes = 0;
                    continue;
                }
                if (c != '\r') {
                    beforeVersion = (int) (versionTail >>> 56);
                    versionTail = (versionTail << 8) | (c & 0xff);
                }
                if (firstRequest) {
                    if (c == 0 && requestLineBytes == 0 && leadingBlankBytes >= 4) {
                        return 490; // PROXY v2 signature: CR LF CR LF NUL ...
                    }
                    if (proxyMatch == requestLineBytes && proxyMatch < PROXY_V1.length && c == PROXY_V1[proxyMatch]) {
                        if (++proxyMatch == PROXY_V1.length) {
                            return 490;
                        }
                    }
                }
                if (c != '\r' && ++requestLineBytes > settings.maxRequestLineBytes()) {
                    return 414;
                }
            } else {
                if (c == '\n') {
                    if (lineBytes == 0) {
                        headEnded();
                        headEnd = i + 1;
                        if (chunkedHead) {
                            chunkedBody = new ChunkedDecoder();
                        }
                        return DONE;
                    }
                    if ((teState == TE_VALUE && teIndex == CHUNKED.length) || teState == TE_TRAILING_WS) {
                        chunkedHead = true;
                    }
                    teState = TE_NAME_MATCH;
                    teIndex = 0;
                    if (++headerCount > settings.maxHeaderCount()) {
                        settings.events().tooManyHeaders();
                        return 431;
                    }
                    lineBytes = 0;
                } else if (c != '\r') {
                    if (lineBytes == 0 && (c == ' ' || c == '\t')) {
                        return 400; // obs-fold (or whitespace before the first field): RFC 9112 5.2, 2.2
                    }
                    lineBytes++;
                    if (teState != TE_OTHER) {
                        matchTe(c);
                    }
                }
                if (++headerBytes > settings.maxHeaderBytes()) {
                    settings.events().headersTooLarge();
                    return 431;
                }
            }
        }
        return CONTINUE;
    }

    private void headEnded() {
        cancelDeadline();
        firstRequest = false;
        phase = PASS;
    }

    /**
     * Arms the header deadline once a read ended with the head still incomplete. A head that arrives whole in one
     * read (the usual keep-alive request) never needs a timer; a trickled one is timed from its first byte.
     */
    private void armDeadlineIfIncomplete() {
        if (started && deadline == null && phase == HEAD) {
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

    /**
     * Above the raw sink: passes writes through until the connection is rejected; then pretends to write, so a
     * handler that still answers cannot make Undertow close the socket (and reset it) before the linger ends.
     */
    private final class SinkGuard extends AbstractStreamSinkConduit<StreamSinkConduit> {
        SinkGuard(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (phase == REJECTED) {
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }
            return next.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
            if (phase == REJECTED) {
                long n = 0;
                for (int i = offs; i < offs + len; i++) {
                    n += srcs[i].remaining();
                    srcs[i].position(srcs[i].limit());
                }
                return n;
            }
            return next.write(srcs, offs, len);
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            return phase == REJECTED ? write(src) : next.writeFinal(src);
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
            return phase == REJECTED ? write(srcs, offs, len) : next.writeFinal(srcs, offs, len);
        }

        @Override
        public long transferFrom(FileChannel src, long position, long count) throws IOException {
            return phase == REJECTED ? count : next.transferFrom(src, position, count);
        }

        @Override
        public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
            return phase == REJECTED ? Conduits.transfer(source, count, throughBuffer, this) : next.transferFrom(source, count, throughBuffer);
        }

        @Override
        public boolean flush() throws IOException {
            return phase == REJECTED || next.flush();
        }

        @Override
        public void terminateWrites() throws IOException {
            if (phase != REJECTED) {
                next.terminateWrites();
            }
        }

        @Override
        public void truncateWrites() throws IOException {
            if (phase != REJECTED) {
                next.truncateWrites();
            }
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
