package io.duet.proxy.forward;

import io.duet.proxy.balance.ResponseLatency;
import io.duet.proxy.http1.ChunkedDecoder;
import io.duet.proxy.pool.BackendConnection;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.duet.proxy.message.ProxyMessage.MALFORMED_CHUNKED_RESPONSE;

/**
 * The response side of the forwarder's per-request state ({@link ForwardState}): reads the server's bytes into a
 * pooled buffer, parses the response head ({@link ResponseHead}; interim responses are dropped, 101 hands over to
 * the {@link Tunnel}), then streams the body to the client by its framing (Content-Length, chunked via
 * {@link ChunkedDecoder}, or until the server closes), pausing the server while the client cannot take more. The
 * connection goes back to the pool only when the request was written whole, the response was read exactly to its
 * end, and nobody asked to close. One layer of the per-request object; the exchange's I/O thread, never blocking.
 */
abstract class ResponseReader extends RequestWriter {
    private PooledByteBuffer inPooled;
    private ByteBuffer in;
    private int scanned;
    private ResponseHead head;
    private long bodyRemaining;
    private ChunkedDecoder chunks;
    private StreamSinkChannel clientSink;
    /** The server sent at least one byte on the current connection. */
    boolean anyResponseByte;
    private boolean reusable;

    ResponseReader(Forwarder route, HttpServerExchange exchange, boolean requestChunked) {
        super(route, exchange, requestChunked);
    }

    /** The server sent a response head Duet refuses: 502, and the connection is closed. */
    abstract void badResponse(String why);

    /** Ends both sides at once: the client must see a truncated response, never a complete one. */
    abstract void abortBoth();

    /** The response head arrived (or forwarding ended): the response deadline no longer applies. */
    abstract void cancelResponseTimer();

    /** The client went away or cannot be written to. */
    final void clientGone() {
        abortBoth();
    }

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
                LOG.debug("{} {} sent a malformed chunked body: {}",
                        MALFORMED_CHUNKED_RESPONSE, server, e.getMessage());
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
    void finish(boolean extraBytes) {
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
    void backendClosed() {
        if (phase == BODY_UNTIL_CLOSE) {
            finish(false);
            return;
        }
        backendBroken(null);
    }

    void releaseInBuffer() {
        in = null;
        if (inPooled != null) {
            inPooled.close();
            inPooled = null;
        }
    }

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
        Tunnel.open(exchange, backend, early);
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
