package io.duet.proxy.forward;

import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.duet.proxy.affinity.ForwardOutcome;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;
import io.duet.proxy.affinity.RouteAffinity;
import io.duet.proxy.affinity.StickyBinding;
import io.duet.proxy.pool.RequestView;
import io.duet.proxy.http1.ChunkedDecoder;
import io.duet.proxy.balance.ResponseLatency;
import io.duet.proxy.edge.CanonicalPath;
import io.duet.proxy.edge.EdgeLimits;
import io.duet.proxy.pool.BackendConnection;
import io.duet.config.ServerLimit;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.PoolState;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.ServerConnections;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Transfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Forwards one exchange to a server of a pool over HTTP/1.1 and streams the answer back: the per-request state
 * machine of Duet's own forwarder. It lives as an exchange attachment (the access log and error pages read it).
 *
 * <p>Flow: pick a server ({@link #attempt}), take an idle keep-alive connection of this I/O thread or open one,
 * write the request head (and stream the body, re-chunked when the client sent it chunked), parse the response
 * head ({@link ResponseHead}), then stream the body to the client by its framing (Content-Length, chunked via
 * {@link ChunkedDecoder}, or until the server closes). A connection goes back to the pool only when the request
 * was written whole, the response was read exactly to its end, and nobody asked to close.
 *
 * <p>Retries: a refused or timed-out connect sent nothing, so an idempotent request is tried on another server,
 * at most {@code retries} more times. A kept-alive connection the server closed just before our request arrived
 * (nothing answered, not a single byte) is retried once on a fresh connection to the same server for an idempotent
 * request without a body, as HAProxy and NGINX do. Anything else that fails after the request may have reached the
 * server is never resent (502).
 *
 * <p>Threads: every method runs on the exchange's I/O thread and never blocks.
 */
public final class ForwardState implements Runnable, RequestView, BackendConnection.User,
        ServerConnections.ConnectCallback, PoolState.Waiter, ForwardOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardState.class);
    public static final AttachmentKey<ForwardState> KEY = AttachmentKey.create(ForwardState.class);

    private static final int START = 0;
    private static final int CONNECTING = 1;
    private static final int HEAD = 2;
    private static final int BODY_LENGTH = 3;
    private static final int BODY_CHUNKED = 4;
    private static final int BODY_UNTIL_CLOSE = 5;
    private static final int DONE = 6;
    private static final int QUEUED_PHASE = 7;

    private static final int NOT_QUEUED = 0;
    private static final int QUEUED = 1;
    private static final int GRANTED = 2;
    private static final int GAVE_UP = 3;
    private static final AtomicIntegerFieldUpdater<ForwardState> QUEUE =
            AtomicIntegerFieldUpdater.newUpdater(ForwardState.class, "queueState");

    /** Room before the data of a request body chunk for its size line. */
    private static final int CHUNK_HEADER = 18;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final byte[] HTTP11 = " HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final HttpString X_FORWARDED_PORT = new HttpString("X-Forwarded-Port");

    final BackendPool backendPool;
    final long startNanos = System.nanoTime();
    private final Forwarder route;
    private final HttpServerExchange exchange;
    /** The client sent the body chunked; the request is forwarded chunked. */
    private final boolean requestChunked;
    /** The client's Content-Length, -1 when absent. */
    private final long requestLength;
    /** Request body bytes read from the client so far (checked against requestLength at its end). */
    private long requestBodySent;

    int attempts;
    long excluded;
    BackendServer server;
    ForwardFailure failure = ForwardFailure.NONE;
    boolean countedActive;

    private int phase = START;
    /** The request's affinity binding, made on the first attempt when the route has affinity. */
    private StickyBinding sticky;
    /** The server whose in-flight count (and serverLimit slot) this request holds, or {@code null}. */
    private BackendServer slot;
    private volatile int queueState;
    private XnioExecutor.Key queueTimer;
    private BackendConnection connection;
    // Response deadline, linked into the I/O thread's ResponseDeadlines while armed.
    long deadlineNanos;
    ResponseDeadlines deadlines;
    ForwardState prevDeadline;
    ForwardState nextDeadline;
    private long sentNanos;
    private boolean staleRetried;
    /** The server whose failed connect was already reported to passive health for this request. */
    private BackendServer failureReportedFor;

    // Request side.
    private PooledByteBuffer outPooled;
    private ByteBuffer out;
    private boolean requestWritten;
    private boolean bodyStarted;
    private StreamSourceChannel requestChannel;

    // Response side.
    private PooledByteBuffer inPooled;
    private ByteBuffer in;
    private int scanned;
    private ResponseHead head;
    private long bodyRemaining;
    private ChunkedDecoder chunks;
    private StreamSinkChannel clientSink;
    private boolean anyResponseByte;
    private boolean reusable;

    ForwardState(Forwarder route, HttpServerExchange exchange, boolean requestChunked) {
        this.route = route;
        this.backendPool = route.pool();
        this.exchange = exchange;
        this.requestChunked = requestChunked;
        this.requestLength = requestChunked ? -1 : exchange.getRequestContentLength();
    }

    /** The server of the last attempt, or {@code null}. */
    public BackendServer server() {
        return server;
    }

    public String pool() {
        return backendPool.name();
    }

    public ForwardFailure failure() {
        return failure;
    }

    /** Forwarding failed: the response is Duet's own error page (affinity binds nobody). */
    @Override
    public boolean failed() {
        return failure != ForwardFailure.NONE;
    }

    /** Connection attempts made (1 without retry). */
    public int attempts() {
        return attempts;
    }

    /** True when the client's request was read to its end (nothing of it is left on the client connection). */
    boolean requestRead() {
        return !hasBody() || requestWritten;
    }

    private boolean hasBody() {
        return requestChunked || requestLength > 0;
    }

    // ------------------------------------------------------------------ choosing a server and a connection

    /** Starts forwarding (dispatched right after the handler returns). */
    @Override
    public void run() {
        if (phase == START) {
            attempt();
        }
    }

    private void attempt() {
        RouteAffinity affinity = route.affinity();
        BackendServer s;
        if (affinity == null) {
            s = backendPool.balancer().pick(this, excluded);
        } else {
            if (sticky == null) {
                sticky = affinity.bind(exchange, this);
            }
            switch (affinity.decide(sticky, excluded)) {
                case USE_BOUND:
                    s = sticky.bound();
                    break;
                case REFUSE:
                    refuse(affinity.refusal(sticky));
                    return;
                default:
                    s = backendPool.balancer().pick(this, affinity.balanceMask(sticky, excluded));
                    break;
            }
            sticky.serving(s);
        }
        if (s == null) {
            if (attempts == 0) {
                failure = ForwardFailure.NO_SERVER;
                backendPool.metrics().noServerAvailable().inc();
            }
            fail();
            return;
        }
        ServerLimit limit = backendPool.serverLimit();
        if (limit == null) {
            s.state().active().incrementAndGet();
        } else if (!PoolState.tryAcquire(s, limit.maxRequests())) {
            s = acquireAny(s, limit.maxRequests());
            if (s == null) {
                waitForSlot(limit);
                return;
            }
        }
        slot = s;
        proceed(s);
    }

    /** stickyServerDown: fail: the client's server is down, so the request is answered 503 and not forwarded. */
    private void refuse(String why) {
        ErrorResponses.send(exchange, ErrorId.NO_SERVER.status(), ErrorId.NO_SERVER.id(), why);
        phase = DONE;
        releaseOutBuffer();
    }

    /**
     * Another candidate with a free slot when {@code full} is at its limit, or {@code null}. Asks the balancer again
     * with the full servers excluded, so the choice keeps the algorithm's order.
     */
    private BackendServer acquireAny(BackendServer full, int max) {
        long mask = excluded | bit(full);
        for (int i = 0; i < backendPool.servers().size(); i++) {
            BackendServer c = backendPool.balancer().pick(this, mask);
            if (c == null) {
                return null;
            }
            if (PoolState.tryAcquire(c, max)) {
                return c;
            }
            mask |= bit(c);
        }
        return null;
    }

    private static long bit(BackendServer s) {
        return s.index() < 64 ? 1L << s.index() : 0;
    }

    /** Sends the request to {@code s}, whose slot this request holds. */
    private void proceed(BackendServer s) {
        if (attempts > 0) {
            s.metrics().retries().inc();
        }
        attempts++;
        server = s;
        excluded |= bit(s);
        failure = ForwardFailure.NONE;
        phase = CONNECTING;
        BackendConnection c = s.connections().acquire(exchange.getIoThread());
        if (c != null) {
            connected(c);
        } else {
            s.connections().connect(exchange.getIoThread(), this, backendPool.connectTimeoutMs());
        }
    }

    /** Lets go of this request's slot on its server: to the first queued request, else released. */
    private void releaseSlot() {
        BackendServer s = slot;
        if (s == null) {
            return;
        }
        slot = null;
        ServerLimit limit = backendPool.serverLimit();
        if (limit == null) {
            s.state().active().decrementAndGet();
        } else {
            backendPool.state().slotFreed(s, limit.maxRequests());
        }
    }

    // ---- waiting for a slot (every candidate at serverLimit.maxRequests); the rare path, so it may allocate

    private void waitForSlot(ServerLimit limit) {
        PoolState pool = backendPool.state();
        QUEUE.set(this, QUEUED);
        if (!pool.enqueue(this, limit.maxQueued())) {
            QUEUE.set(this, NOT_QUEUED);
            failure = ForwardFailure.QUEUE_FULL;
            backendPool.metrics().queueFull().inc();
            fail();
            return;
        }
        phase = QUEUED_PHASE;
        backendPool.metrics().queued().inc();
        queueTimer = exchange.getIoThread().executeAfter(this::queueTimedOut, limit.queueTimeoutMs(),
                TimeUnit.MILLISECONDS);
        // A slot may have been freed between the full check and the enqueue: try once more.
        BackendServer s = backendPool.balancer().pick(this, excluded);
        if (s != null && PoolState.tryAcquire(s, limit.maxRequests())) {
            if (grant(s)) {
                pool.leave(this);
            } else {
                pool.slotFreed(s, limit.maxRequests());
            }
        }
    }

    /** Any thread: the pool hands this waiting request a slot on {@code s}. */
    @Override
    public boolean grant(BackendServer s) {
        if (!QUEUE.compareAndSet(this, QUEUED, GRANTED)) {
            return false;
        }
        if (exchange.isInIoThread()) {
            slotGranted(s);
        } else {
            exchange.getIoThread().execute(() -> slotGranted(s));
        }
        return true;
    }

    private void slotGranted(BackendServer s) {
        if (queueTimer != null) {
            queueTimer.remove();
            queueTimer = null;
        }
        slot = s;
        if (exchange.isComplete() || phase != QUEUED_PHASE) {
            releaseSlot();
            return;
        }
        proceed(s);
    }

    private void queueTimedOut() {
        queueTimer = null;
        if (!QUEUE.compareAndSet(this, QUEUED, GAVE_UP)) {
            return; // granted at the same moment: the grant task runs next
        }
        backendPool.state().leave(this);
        failure = ForwardFailure.QUEUE_TIMEOUT;
        backendPool.metrics().queueTimeouts().inc();
        fail();
    }

    @Override
    public void connected(BackendConnection c) {
        if (exchange.isComplete() || phase != CONNECTING) {
            c.release();
            return;
        }
        connection = c;
        c.attach(this);
        if (!countedActive) {
            countedActive = true;
            server.metrics().requestStarted();
        }
        phase = HEAD;
        sentNanos = System.nanoTime();
        if (route.responseTimeoutMs() > 0 && deadlines == null) {
            ResponseDeadlines.of(exchange.getIoThread()).arm(this,
                    sentNanos + TimeUnit.MILLISECONDS.toNanos(route.responseTimeoutMs()));
        }
        writeHead();
    }

    @Override
    public void connectFailed(boolean timedOut, IOException cause) {
        if (phase != CONNECTING) {
            return;
        }
        failure = timedOut ? ForwardFailure.CONNECT_TIMEOUT : ForwardFailure.CONNECT_FAILED;
        server.metrics().connectErrors().inc();
        route.outcomes().onConnectFailure(server);
        failureReportedFor = server;
        if (LOG.isDebugEnabled()) {
            LOG.debug("DUET-PROXY-0111 connect to {} failed: {}", server, timedOut ? "timeout" : cause);
        }
        if (attempts <= route.retries() && Idempotent.method(exchange.getRequestMethod()) && !exchange.isComplete()) {
            if (countedActive) {
                countedActive = false; // a stale keep-alive retry counted the first connection
                server.metrics().requestFinished(0, System.nanoTime() - startNanos);
            }
            releaseSlot();
            attempt();
        } else {
            fail();
        }
    }

    // ------------------------------------------------------------------ request

    private void writeHead() {
        HeadBuilder h = HeadBuilder.get();
        HeaderMap headers = exchange.getRequestHeaders();
        h.append(exchange.getRequestMethod()).append(' ');
        appendTarget(h);
        h.append(HTTP11);
        String xff = null;
        boolean proto = false;
        boolean port = false;
        boolean host = false;
        for (long c = headers.fastIterateNonEmpty(); c != -1L; c = headers.fiNextNonEmpty(c)) {
            HeaderValues values = headers.fiCurrent(c);
            HttpString name = values.getHeaderName();
            if (name.equals(Headers.CONTENT_LENGTH) || name.equals(Headers.TRANSFER_ENCODING)
                    || name.equals(Headers.EXPECT)) {
                continue; // framing is ours; 100-continue is answered here, not by the server
            }
            if (name.equals(Headers.X_FORWARDED_FOR)) {
                xff = values.getFirst(); // only a trusted peer's survives ForwardingHeaders
                continue;
            }
            if (name.equals(Headers.HOST)) {
                host = true;
            } else if (name.equals(Headers.X_FORWARDED_PROTO)) {
                proto = true;
            } else if (name.equals(X_FORWARDED_PORT)) {
                port = true;
            }
            for (int i = 0; i < values.size(); i++) {
                h.header(name, values.get(i));
            }
        }
        if (!host) {
            h.header(Headers.HOST, server.host().indexOf(':') >= 0
                    ? "[" + server.host() + "]:" + server.port() : server.host() + ":" + server.port());
        }
        String ip = route.forwarding().clientIp(exchange);
        h.header(Headers.X_FORWARDED_FOR, xff == null || xff.isEmpty() ? ip : xff + ", " + ip);
        if (!proto) {
            h.header(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
        }
        if (!port) {
            InetSocketAddress local = exchange.getDestinationAddress();
            if (local != null) {
                h.append(X_FORWARDED_PORT).append(": ").append(local.getPort()).crlf();
            }
        }
        if (requestChunked) {
            h.header(Headers.TRANSFER_ENCODING, "chunked");
        } else if (requestLength >= 0) {
            h.append(Headers.CONTENT_LENGTH).append(": ").append(requestLength).crlf();
        }
        h.crlf();
        if (outPooled == null) {
            outPooled = exchange.getConnection().getByteBufferPool().allocate();
        }
        ByteBuffer b = outPooled.getBuffer();
        b.clear();
        if (h.fits(b)) {
            h.copyTo(b);
            b.flip();
            out = b;
        } else {
            out = h.toHeapBuffer();
        }
        if (flushOut()) {
            requestPartWritten();
        }
    }

    private void appendTarget(HeadBuilder h) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("//");
            int path = scheme < 0 ? -1 : uri.indexOf('/', scheme + 2);
            uri = path < 0 ? "/" : uri.substring(path);
        }
        h.append(uri.isEmpty() ? "/" : uri);
        String qs = exchange.getQueryString();
        if (qs != null && !qs.isEmpty()) {
            h.append('?').append(qs);
        }
    }

    /** Writes {@link #out} to the server; false when the server cannot take it all now (a write listener waits). */
    private boolean flushOut() {
        try {
            while (out.hasRemaining()) {
                if (connection.sink().write(out) == 0) {
                    connection.sink().resumeWrites();
                    if (requestChannel != null) {
                        requestChannel.suspendReads();
                    }
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            backendBroken(e);
            return false;
        }
    }

    @Override
    public void backendWritable(BackendConnection c) {
        if (out == null || connection != c) {
            c.sink().suspendWrites();
            return;
        }
        if (flushOut()) {
            c.sink().suspendWrites();
            requestPartWritten();
        }
    }

    /** Everything in {@link #out} reached the socket: send more body, or the request is complete. */
    private void requestPartWritten() {
        out = null; // flushed whole
        if (!hasBody() || requestWritten) {
            requestComplete();
            return;
        }
        if (!bodyStarted) {
            bodyStarted = true;
            if (HttpContinue.requiresContinueResponse(exchange)) {
                HttpContinue.sendContinueResponse(exchange, new io.undertow.io.IoCallback() {
                    @Override
                    public void onComplete(HttpServerExchange ex, io.undertow.io.Sender sender) {
                        onIoThread(ForwardState.this::startBody);
                    }

                    @Override
                    public void onException(HttpServerExchange ex, io.undertow.io.Sender sender, IOException e) {
                        onIoThread(() -> clientBroken(e));
                    }
                });
                return;
            }
            startBody();
            return;
        }
        pumpBody();
    }

    private void onIoThread(Runnable task) {
        if (exchange.isInIoThread()) {
            task.run();
        } else {
            exchange.getIoThread().execute(task);
        }
    }

    private void startBody() {
        if (phase > HEAD || connection == null) {
            return;
        }
        requestChannel = exchange.getRequestChannel();
        if (requestChannel == null) {
            clientBroken(new IOException("the request body was already consumed"));
            return;
        }
        requestChannel.getReadSetter().set((ChannelListener<StreamSourceChannel>) ch -> {
            if (out != null && out.hasRemaining()) {
                // A read event queued before reads were suspended (Undertow wakes readers up through a task when it
                // holds buffered bytes): the buffer still holds bytes for the server, so wait for its write event.
                ch.suspendReads();
                return;
            }
            pumpBody();
        });
        pumpBody();
    }

    /** Copies request body bytes from the client to the server until the client has no more for now. */
    private void pumpBody() {
        if (connection == null || requestWritten) {
            if (requestChannel != null) {
                requestChannel.suspendReads();
            }
            return;
        }
        ByteBuffer b = outPooled.getBuffer();
        while (true) {
            b.clear();
            if (requestChunked) {
                b.position(CHUNK_HEADER).limit(b.capacity() - 2);
            }
            int r;
            try {
                r = requestChannel.read(b);
            } catch (IOException e) {
                clientBroken(e);
                return;
            }
            if (r == 0) {
                requestChannel.resumeReads();
                return;
            }
            if (r < 0) {
                if (!requestChunked && requestLength >= 0 && requestBodySent != requestLength) {
                    // The client's stream ended before its Content-Length (an HTTP/2 connection closed under
                    // the stream reads as end of stream): the server must not wait for the rest.
                    clientBroken(new IOException("the request body ended after " + requestBodySent + " of "
                            + requestLength + " bytes"));
                    return;
                }
                requestChannel.suspendReads();
                requestWritten = true;
                if (requestChunked) {
                    b.clear();
                    b.put(LAST_CHUNK).flip();
                } else {
                    b.limit(0);
                }
                out = b;
                if (flushOut()) {
                    requestComplete();
                }
                return;
            }
            requestBodySent += r;
            if (requestChunked) {
                int dataEnd = b.position();
                b.limit(dataEnd + 2);
                b.put((byte) '\r').put((byte) '\n');
                int start = CHUNK_HEADER - 2;
                b.put(start, (byte) '\r').put(start + 1, (byte) '\n');
                for (int v = r; ; v >>>= 4) {
                    b.put(--start, HEX[v & 0xf]);
                    if (v < 16) {
                        break;
                    }
                }
                b.position(start);
            } else {
                b.flip();
            }
            out = b;
            if (!flushOut()) {
                return; // backendWritable resumes the pump
            }
            out = null; // nothing pending: a read event may pump again
        }
    }

    private void requestComplete() {
        requestWritten = true;
        out = null;
        if (requestChannel != null) {
            requestChannel.suspendReads();
        }
        if (phase == DONE) {
            releaseOutBuffer();
        }
    }

    private void releaseOutBuffer() {
        out = null;
        if (outPooled != null) {
            outPooled.close();
            outPooled = null;
        }
    }

    // ------------------------------------------------------------------ response

    @Override
    public void backendReadable(BackendConnection c) {
        if (connection != c) {
            return;
        }
        if (in == null) {
            inPooled = server.connections().readBuffers().allocate();
            in = inPooled.getBuffer();
            in.clear();
        }
        while (connection == c) {
            int r;
            try {
                r = c.source().read(in);
            } catch (IOException e) {
                backendBroken(e);
                return;
            }
            if (r == 0) {
                return;
            }
            if (r < 0) {
                backendClosed();
                return;
            }
            anyResponseByte = true;
            in.flip();
            boolean more = process();
            if (in == null) {
                return;
            }
            in.compact();
            if (!more) {
                return;
            }
        }
    }

    /** Handles the bytes in {@link #in} (read mode). False when reading must pause (the client is full, or done). */
    private boolean process() {
        if (phase == HEAD) {
            if (!parseHead()) {
                return phase != DONE && connection != null;
            }
        }
        return body();
    }

    /** True when a final response head was parsed and the body (if any) follows. */
    private boolean parseHead() {
        while (true) {
            int end = ResponseHead.end(in, Math.max(in.position(), scanned - 3), in.limit());
            if (end < 0) {
                scanned = in.limit();
                if (in.limit() == in.capacity() && in.position() == 0) {
                    badResponse("the response head is larger than " + in.capacity() + " bytes");
                }
                return false;
            }
            scanned = 0;
            boolean interim = end - in.position() >= 14 && in.get(in.position() + 9) == '1' && !(in.get(in.position() + 10) == '0'
                    && in.get(in.position() + 11) == '1');
            if (interim) {
                // 100 Continue and other interim responses are not passed on: the client's 100 was ours.
                in.position(end);
                if (!in.hasRemaining()) {
                    return false;
                }
                continue;
            }
            if (head == null) {
                head = new ResponseHead();
            }
            String error = head.parse(in, in.position(), end, exchange.getResponseHeaders());
            if (error != null) {
                exchange.getResponseHeaders().clear();
                badResponse(error);
                return false;
            }
            in.position(end);
            responseHeadArrived();
            return phase != DONE && connection != null;
        }
    }

    private void responseHeadArrived() {
        cancelResponseTimer();
        ResponseLatency.record(server, sentNanos);
        exchange.setStatusCode(head.status);
        if (head.status == 101) {
            tunnel();
            return;
        }
        reusable = !head.close;
        boolean headRequest = exchange.getRequestMethod().equals(Methods.HEAD);
        if (head.noBody(headRequest)) {
            if (headRequest) {
                exchange.getResponseHeaders().remove(Headers.TRANSFER_ENCODING);
            }
            finish(false);
        } else if (head.chunked) {
            phase = BODY_CHUNKED;
            chunks = new ChunkedDecoder();
            clientSink = exchange.getResponseChannel();
        } else if (head.contentLength >= 0) {
            phase = BODY_LENGTH;
            bodyRemaining = head.contentLength;
            clientSink = exchange.getResponseChannel();
            if (bodyRemaining == 0) {
                finish(false);
            }
        } else {
            phase = BODY_UNTIL_CLOSE;
            reusable = false;
            clientSink = exchange.getResponseChannel();
        }
    }

    /** Streams body bytes in {@link #in} to the client. False when reading must pause. */
    private boolean body() {
        try {
            switch (phase) {
                case BODY_LENGTH: {
                    int n = (int) Math.min(in.remaining(), bodyRemaining);
                    if (n > 0) {
                        int w = writeToClient(n);
                        bodyRemaining -= w;
                        if (w < n) {
                            return pauseForClient();
                        }
                    }
                    if (bodyRemaining == 0) {
                        finish(in.hasRemaining());
                        return false;
                    }
                    return true;
                }
                case BODY_CHUNKED:
                    while (true) {
                        long n = chunks.next(in);
                        if (n == ChunkedDecoder.DONE) {
                            finish(in.hasRemaining());
                            return false;
                        }
                        int avail = (int) Math.min(n, in.remaining());
                        if (avail == 0) {
                            return true;
                        }
                        int w = writeToClient(avail);
                        chunks.consumed(w);
                        if (w < avail) {
                            return pauseForClient();
                        }
                    }
                case BODY_UNTIL_CLOSE: {
                    int n = in.remaining();
                    int w = writeToClient(n);
                    if (w < n) {
                        return pauseForClient();
                    }
                    return true;
                }
                default:
                    return false;
            }
        } catch (ClientGone gone) {
            return false;
        } catch (IOException e) {
            // A malformed chunked body from the server: the client gets a truncated response.
            if (LOG.isDebugEnabled()) {
                LOG.debug("DUET-PROXY-0113 {} sent a malformed chunked body: {}", server, e.getMessage());
            }
            abortBoth();
            return false;
        }
    }

    /** Writes up to {@code n} bytes of {@link #in} to the client; the count written. */
    private int writeToClient(int n) throws IOException {
        int limit = in.limit();
        in.limit(in.position() + n);
        try {
            return clientSink.write(in);
        } catch (IOException e) {
            clientGone();
            throw new ClientGone();
        } finally {
            if (in != null) {
                in.limit(limit);
            }
        }
    }

    /** The client cannot take more now: stop reading the server until it can. */
    private boolean pauseForClient() {
        connection.source().suspendReads();
        clientSink.getWriteSetter().set((ChannelListener<StreamSinkChannel>) sink -> clientWritable());
        clientSink.resumeWrites();
        return false;
    }

    private void clientWritable() {
        clientSink.suspendWrites();
        if (connection == null || in == null) {
            return;
        }
        in.flip();
        boolean more = body();
        if (in == null) {
            return;
        }
        in.compact();
        if (more && connection != null) {
            connection.source().resumeReads();
            backendReadable(connection);
        }
    }

    /**
     * The response was read to its end: the connection goes back to the pool when it is clean, and the client's
     * response is completed.
     */
    private void finish(boolean extraBytes) {
        phase = DONE;
        BackendConnection c = connection;
        connection = null;
        if (reusable && !extraBytes && requestWritten) {
            c.release();
        } else {
            c.abort();
        }
        releaseInBuffer();
        if (requestWritten) {
            releaseOutBuffer();
        } else if (requestChannel != null) {
            requestChannel.suspendReads();
        }
        if (clientSink == null) {
            exchange.endExchange();
            return;
        }
        try {
            clientSink.shutdownWrites();
            if (clientSink.flush()) {
                exchange.endExchange();
            } else {
                clientSink.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        (ChannelListener<StreamSinkChannel>) sink -> exchange.endExchange(),
                        (sink, e) -> clientGone()));
                clientSink.resumeWrites();
            }
        } catch (IOException e) {
            clientGone();
        }
    }

    /** The server closed the connection. */
    private void backendClosed() {
        if (phase == BODY_UNTIL_CLOSE) {
            finish(false);
            return;
        }
        backendBroken(null);
    }

    /** The connection to the server broke (reset, closed early, write failed). */
    private void backendBroken(IOException cause) {
        BackendConnection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        c.abort();
        if (phase == HEAD && !anyResponseByte) {
            if (c.reused() && !staleRetried && !hasBody() && Idempotent.method(exchange.getRequestMethod())) {
                // The server closed an idle keep-alive connection as our request went out: it answered nothing.
                staleRetried = true;
                releaseInBuffer();
                phase = CONNECTING;
                server.connections().connect(exchange.getIoThread(), this, backendPool.connectTimeoutMs());
                return;
            }
            cancelResponseTimer();
            failure = ForwardFailure.NOT_RETRIED;
            if (LOG.isDebugEnabled()) {
                LOG.debug("DUET-PROXY-0112 {} closed the connection before answering: {}", server, cause);
            }
            releaseInBuffer();
            fail();
            return;
        }
        if (phase == HEAD) {
            cancelResponseTimer();
            failure = ForwardFailure.NOT_RETRIED;
            releaseInBuffer();
            fail();
            return;
        }
        // Mid-body: the client already has the head; it must see a truncated response, never a complete one.
        abortBoth();
    }

    private void badResponse(String why) {
        LOG.warn("DUET-PROXY-0110 invalid response head from server '{}' of pool '{}': {}; answered 502, connection closed",
                server.id(), backendPool.name(), why);
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        cancelResponseTimer();
        failure = ForwardFailure.NOT_RETRIED;
        releaseInBuffer();
        fail();
    }

    /** The response deadline passed (called by {@link ResponseDeadlines}). */
    void responseTimedOut() {
        boolean waiting = phase == HEAD || (phase == CONNECTING && staleRetried);
        if (!waiting || exchange.isResponseStarted()) {
            return;
        }
        failure = ForwardFailure.RESPONSE_TIMEOUT;
        server.metrics().responseTimeouts().inc();
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        releaseInBuffer();
        fail();
    }

    private void cancelResponseTimer() {
        if (deadlines != null) {
            deadlines.disarm(this);
        }
    }

    /** Ends the exchange with the error page of {@link #failure}. */
    private void fail() {
        phase = DONE;
        if (requestChannel != null) {
            requestChannel.suspendReads();
        }
        releaseOutBuffer();
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        int status = failure.status();
        // A request body that was not read to its end leaves the client connection out of sync: close it.
        ErrorResponses.send(exchange, status, ErrorId.idFor(status), failure.message(pool(), server), !requestRead());
    }

    /** The client failed while sending its body: the server must never see a complete request. */
    private void clientBroken(IOException e) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("client {} failed while sending the request body: {}", exchange.getSourceAddress(), e.toString());
        }
        if (EdgeLimits.connectionTakenOver(exchange)) {
            // The edge answered (400 bad chunking, 408 slow body, 413 too large) and drains the client before it
            // closes; closing here would reset the connection and lose that answer.
            phase = DONE;
            BackendConnection c = connection;
            connection = null;
            if (c != null) {
                c.abort();
            }
            releaseInBuffer();
            releaseOutBuffer();
            return;
        }
        abortBoth();
    }

    private void clientGone() {
        abortBoth();
    }

    private void abortBoth() {
        phase = DONE;
        cancelResponseTimer();
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.abort();
        }
        releaseInBuffer();
        releaseOutBuffer();
        IoUtils.safeClose(exchange.getConnection());
    }

    private void releaseInBuffer() {
        in = null;
        if (inPooled != null) {
            inPooled.close();
            inPooled = null;
        }
    }

    // ------------------------------------------------------------------ upgrade

    /** The server switched protocols: from now on the two connections are joined byte for byte. */
    private void tunnel() {
        phase = DONE;
        BackendConnection c = connection;
        connection = null;
        StreamConnection backend = c.detach();
        ByteBuffer early = null;
        if (in.hasRemaining()) {
            early = ByteBuffer.allocate(in.remaining());
            early.put(in).flip();
        }
        releaseInBuffer();
        releaseOutBuffer();
        ByteBuffer pending = early;
        exchange.upgradeChannel((client, ex) -> {
            if (pending != null) {
                try {
                    while (pending.hasRemaining()) {
                        if (client.getSinkChannel().write(pending) == 0) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    IoUtils.safeClose(client, backend);
                    return;
                }
                if (pending.hasRemaining()) {
                    // Rare: bytes the server sent right after its 101 that the client cannot take at once.
                    IoUtils.safeClose(client, backend);
                    return;
                }
            }
            join(backend, client, ex);
        });
        exchange.endExchange();
    }

    private static void join(StreamConnection backend, StreamConnection client, HttpServerExchange ex) {
        ChannelListener<StreamSinkChannel> sinkDone = ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.<StreamSinkChannel>flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
        org.xnio.ChannelExceptionHandler<java.nio.channels.Channel> closeBoth = (ch, e) -> IoUtils.safeClose(backend, client);
        Transfer.initiateTransfer(backend.getSourceChannel(), client.getSinkChannel(),
                ChannelListeners.closingChannelListener(), sinkDone, closeBoth, closeBoth,
                ex.getConnection().getByteBufferPool());
        Transfer.initiateTransfer(client.getSourceChannel(), backend.getSinkChannel(),
                ChannelListeners.closingChannelListener(), sinkDone, closeBoth, closeBoth,
                ex.getConnection().getByteBufferPool());
    }

    // ------------------------------------------------------------------ completion

    /** Ends the server's share of the request and anything still open when the exchange ends. */
    static final ExchangeCompletionListener COMPLETION = (exchange, nextListener) -> {
        ForwardState st = exchange.getAttachment(KEY);
        if (st != null) {
            st.completed();
        }
        nextListener.proceed();
    };

    private void completed() {
        cancelResponseTimer();
        if (connection != null) {
            // The exchange ended under us (the client went away): the connection is mid-request.
            BackendConnection c = connection;
            connection = null;
            c.abort();
        }
        phase = DONE;
        releaseInBuffer();
        releaseOutBuffer();
        int status = exchange.isResponseStarted() ? exchange.getStatusCode() : 0;
        long nanos = System.nanoTime() - startNanos;
        backendPool.metrics().requestFinished(status, nanos);
        if (QUEUE.get(this) == QUEUED && QUEUE.compareAndSet(this, QUEUED, GAVE_UP)) {
            backendPool.state().leave(this); // the client left while its request waited for a slot
        }
        if (queueTimer != null) {
            queueTimer.remove();
            queueTimer = null;
        }
        releaseSlot();
        if (countedActive) {
            countedActive = false;
            server.metrics().requestFinished(status, nanos);
            if (failureReportedFor != server) {
                route.outcomes().onResponse(server, status); // a failed connect was reported when it happened
            }
        }
    }

    // ------------------------------------------------------------------ what balancers may read

    @Override
    public InetAddress clientAddress() {
        return ExchangeRequestView.clientAddress(exchange);
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String path() {
        return CanonicalPath.canonicalPath(exchange);
    }

    @Override
    public String uri() {
        return ExchangeRequestView.uri(exchange);
    }

    @Override
    public String queryParameter(String name) {
        return ExchangeRequestView.queryParameter(exchange, name);
    }

    @Override
    public String cookie(String name) {
        return ExchangeRequestView.cookie(exchange, name);
    }

    /** Thrown out of the body loop when the client went away (already handled). */
    private static final class ClientGone extends IOException {
        ClientGone() {
            super("client gone");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
