package io.duet.proxy.forward;

import io.duet.proxy.pool.BackendConnection;
import io.duet.proxy.request.RequestContext;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request side of the forwarder's per-request state ({@link ForwardState}): writes the request head to the
 * server (the client's headers minus framing, plus Host, X-Forwarded-For/-Proto/-Port), answers
 * {@code Expect: 100-continue} itself, then streams the body from the client, re-chunked when the client sent it
 * chunked, pausing the client while the server cannot take more. One layer of the per-request object; the
 * exchange's I/O thread, never blocking.
 */
abstract class RequestWriter extends ServerChoice implements BackendConnection.User {
    /** Room before the data of a request body chunk for its size line. */
    private static final int CHUNK_HEADER = 18;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HTTP11 = " HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final HttpString X_FORWARDED_PORT = new HttpString("X-Forwarded-Port");

    /** The client sent the body chunked; the request is forwarded chunked. */
    private final boolean requestChunked;
    /** The client's Content-Length, -1 when absent. */
    private final long requestLength;
    /** Request body bytes read from the client so far (checked against requestLength at its end). */
    private long requestBodySent;

    private PooledByteBuffer outPooled;
    private ByteBuffer out;
    boolean requestWritten;
    private boolean bodyStarted;
    StreamSourceChannel requestChannel;
    /** The client connection's addresses, for X-Forwarded-For and -Port (forwarding's per-connection record). */
    private RequestContext.Client client;

    RequestWriter(Forwarder route, HttpServerExchange exchange, boolean requestChunked) {
        super(route, exchange);
        this.requestChunked = requestChunked;
        this.requestLength = requestChunked ? -1 : exchange.getRequestContentLength();
    }

    /** The connection to the server broke (reset, closed early, write failed). */
    abstract void backendBroken(IOException cause);

    void client(RequestContext.Client c) {
        this.client = c;
    }

    /** The client failed while sending its body: the server must never see a complete request. */
    abstract void clientBroken(IOException e);

    /** True when the client's request was read to its end (nothing of it is left on the client connection). */
    boolean requestRead() {
        return !hasBody() || requestWritten;
    }

    boolean hasBody() {
        return requestChunked || requestLength > 0;
    }

    void writeHead() {
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
        String ip = client == null ? "unknown" : client.ip();
        h.header(Headers.X_FORWARDED_FOR, xff == null || xff.isEmpty() ? ip : xff + ", " + ip);
        if (!proto) {
            h.header(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
        }
        if (!port) {
            int localPort = client == null ? -1 : client.localPort();
            if (localPort >= 0) {
                h.append(X_FORWARDED_PORT).append(": ").append(localPort).crlf();
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
                        onIoThread(RequestWriter.this::startBody);
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

    @Override
    final void releaseOutBuffer() {
        out = null;
        if (outPooled != null) {
            outPooled.close();
            outPooled = null;
        }
    }
}
