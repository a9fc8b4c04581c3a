package io.duet.proxy.edge;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.http2.AbstractHttp2StreamSinkChannel;
import io.undertow.protocols.http2.AbstractHttp2StreamSourceChannel;
import io.undertow.protocols.http2.ConnectionErrorException;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2DataStreamSinkChannel;
import io.undertow.protocols.http2.Http2StreamSourceChannel;
import io.undertow.server.protocol.framed.FrameHeaderData;
import io.undertow.server.protocol.http2.Http2OpenListener;
import io.undertow.util.HeaderMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.duet.proxy.message.ProxyMessage.EDGE_H2_FRAME_RULE;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_MALFORMED;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_RULES_OUT_OF_REACH;

/**
 * Undertow's HTTP/2 connection with Duet's edge rules for a new request stream, applied where its header block has
 * just been decoded and before Undertow's request listener rewrites it (Host from {@code :authority}, pseudo-header
 * fields removed) or anything is dispatched: a malformed request ({@link Http2RequestRules}) gets
 * RST_STREAM(PROTOCOL_ERROR) and never becomes an exchange, exactly as Undertow treats the malformed requests its own
 * parser notices. A request with {@code host} and no {@code :authority} gets the host as its authority (RFC 9113
 * 8.3.1 allows either; Undertow would otherwise drop it).
 *
 * <p>Thread: the connection's I/O thread (frames are parsed there).
 */
final class GuardedHttp2Channel extends Http2Channel implements Http2FrameConduit.Breaches {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedHttp2Channel.class);
    /** Undertow's package-private "reset this stream's source" (what its own malformed-request path calls). */
    private static final Method RESET_SOURCE = resetSource();

    private final EdgeEvents events;

    GuardedHttp2Channel(StreamConnection connection, ByteBufferPool buffers, PooledByteBuffer data,
                        OptionMap options, EdgeEvents events) {
        super(connection, Http2OpenListener.HTTP2, buffers, data, false, false, options);
        this.events = events;
        setRequireExplicitFlush(true);
    }

    /** A flush of this connection's frames is queued on its I/O thread (see {@link #queueFrame}). */
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Runnable queuedFlush = () -> {
        flushQueued.set(false);
        flush();
    };

    /**
     * Frames are written once per turn of the I/O thread's loop, not one write per frame: Undertow writes (and, over
     * TLS, encrypts into a record of its own) each stream's frames the moment they are queued, so 100 streams whose
     * responses arrive in the same turn cost 100 records and 100 writes; queued here, they leave together in one
     * gathering write after the turn's events (a frame that fills its buffer is still written at once). XNIO runs the
     * queued task before its next select, so no frame waits for more than the rest of the current turn. Only the
     * frames of responses wait: a control frame (GOAWAY, RST_STREAM, SETTINGS, PING, WINDOW_UPDATE) is written at once,
     * with whatever waits before it, as Undertow may close the connection right after queueing one.
     */
    @Override
    protected void queueFrame(AbstractHttp2StreamSinkChannel frame) throws IOException {
        super.queueFrame(frame);
        if (!(frame instanceof Http2DataStreamSinkChannel)) {
            flush();
        } else if (flushQueued.compareAndSet(false, true)) {
            getIoThread().execute(queuedFlush);
        }
    }

    /**
     * Undertow's frame parsing, with a field name it cannot represent (CR or LF inside: Undertow's HttpString refuses
     * them with an unchecked exception, which would close the connection without a word) turned into the connection
     * error PROTOCOL_ERROR its other header-block failures get.
     */
    @Override
    protected FrameHeaderData parseFrame(java.nio.ByteBuffer data) throws IOException {
        try {
            return super.parseFrame(data);
        } catch (IllegalArgumentException e) {
            throw new ConnectionErrorException(ERROR_PROTOCOL_ERROR, e);
        }
    }

    @Override
    public void connectionError(int code, String why) {
        LOG.debug("{} HTTP/2 connection from {}: {}; GOAWAY({})", EDGE_H2_FRAME_RULE, getPeerAddress(), why, code);
        events.http2Malformed();
        sendGoAway(code);
    }

    @Override
    public void streamError(int stream, int code, String why) {
        LOG.debug("{} HTTP/2 connection from {}: {}; RST_STREAM({}, {})",
                EDGE_H2_FRAME_RULE, getPeerAddress(), why, stream,
                code);
        events.http2Malformed();
        sendRstStream(stream, code);
    }

    /** The streams this server reset lately (RST_STREAM sent). */
    private final Http2RecentStreams resets = new Http2RecentStreams();

    /** Every RST_STREAM the server sends: remembered, so DATA the client had in flight is dropped, not fatal. */
    @Override
    public void sendRstStream(int streamId, int statusCode) {
        resets.add(streamId);
        super.sendRstStream(streamId, statusCode);
    }

    /**
     * RFC 9113 5.1: after sending RST_STREAM, frames the peer had in flight on that stream are ignored. Undertow
     * answers DATA on a stream it reset with GOAWAY(PROTOCOL_ERROR) (it forgets the stream's source), ending every
     * other stream of the connection because one request was refused or malformed. Such DATA is dropped here and
     * its flow-control credit given back (6.9: the peer counted it against the connection's window).
     */
    private boolean dataOnStreamWeReset(FrameHeaderData frame) {
        if (FRAME_TYPE == null || FRAME_STREAM == null || FRAME_LENGTH == null) {
            return false;
        }
        try {
            if (FRAME_TYPE.getInt(frame) != 0x0) {
                return false;
            }
            int stream = FRAME_STREAM.getInt(frame);
            if (!resets.contains(stream)) {
                return false;
            }
            dropped(FRAME_LENGTH.getInt(frame));
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private volatile Http2FrameConduit frames;

    /** The conduit that follows this connection's frames; set once, right after construction. */
    void frames(Http2FrameConduit frames) {
        this.frames = frames;
    }

    /**
     * After this server's GOAWAY the socket closes through a lingering close ({@link Http2LingeringClose}): the write
     * side is shut now, the rest waits until the peer stopped sending. Other closes, and closes off the I/O thread,
     * close at once.
     */
    @Override
    public void close() throws IOException {
        Http2FrameConduit f = frames;
        if (f != null && isOpen() && isThisGoneAway() && Thread.currentThread() == getIoThread()
                && f.linger(this::closeNow)) {
            try {
                getUnderlyingConnection().getSinkChannel().shutdownWrites();
                getUnderlyingConnection().getSinkChannel().flush();
            } catch (IOException e) {
                closeNow();
            }
            return;
        }
        super.close();
    }

    private void closeNow() {
        try {
            super.close();
        } catch (IOException e) {
            LOG.debug("closing an HTTP/2 connection after its linger", e);
        }
    }

    /** Every WINDOW_UPDATE the server sends for the connection is credit the frame conduit counts against. */
    @Override
    public void sendUpdateWindowSize(int streamId, int delta) throws IOException {
        Http2FrameConduit f = frames;
        if (streamId == 0 && f != null) {
            f.credit(delta);
        }
        super.sendUpdateWindowSize(streamId, delta);
    }

    @Override
    public void dropped(int bytes) {
        if (bytes > 0) {
            try {
                sendUpdateWindowSize(0, bytes);
            } catch (IOException e) {
                LOG.debug("window update after a dropped frame failed", e);
            }
        }
    }

    @Override
    protected AbstractHttp2StreamSourceChannel createChannel(FrameHeaderData frameHeaderData,
                                                             PooledByteBuffer frameData) throws IOException {
        if (dataOnStreamWeReset(frameHeaderData)) {
            return null; // dropped by the caller (AbstractFramedChannel), with the rest of the frame
        }
        // Undertow parses content-length while it creates the stream and fails the whole connection on a value that
        // is not a number: such a field is taken out first, and the stream reset once it exists.
        String lengthViolation = withoutBadLength(headersOf(frameHeaderData));
        AbstractHttp2StreamSourceChannel channel = super.createChannel(frameHeaderData, frameData);
        if (!(channel instanceof Http2StreamSourceChannel request)) {
            return channel;
        }
        HeaderMap headers = request.getHeaders();
        String violation = lengthViolation != null ? lengthViolation : Http2RequestRules.violation(headers);
        if (violation == null) {
            if (!headers.contains(Http2RequestRules.AUTHORITY) && headers.contains(Http2RequestRules.HOST)) {
                headers.put(Http2RequestRules.AUTHORITY, headers.getFirst(Http2RequestRules.HOST));
            }
            return channel;
        }
        events.http2Malformed();
        LOG.debug("{} malformed HTTP/2 request on stream {} from {}: {}; RST_STREAM(PROTOCOL_ERROR)", EDGE_H2_MALFORMED,
                request.getStreamId(), getPeerAddress(), violation);
        resetSource(request);
        sendRstStream(request.getStreamId(), ERROR_PROTOCOL_ERROR);
        return null;
    }

    private static void resetSource(Http2StreamSourceChannel request) {
        if (RESET_SOURCE != null) {
            try {
                RESET_SOURCE.invoke(request, ERROR_PROTOCOL_ERROR);
            } catch (ReflectiveOperationException e) {
                LOG.debug("could not mark the reset stream's source broken", e);
            }
        }
    }

    private static final java.lang.reflect.Field FRAME_PARSER;
    private static final Method HEADER_MAP;
    private static final java.lang.reflect.Field FRAME_TYPE;
    private static final java.lang.reflect.Field FRAME_STREAM;
    private static final java.lang.reflect.Field FRAME_LENGTH;

    static {
        java.lang.reflect.Field parser = null;
        Method headerMap = null;
        java.lang.reflect.Field type = null;
        java.lang.reflect.Field stream = null;
        java.lang.reflect.Field length = null;
        try {
            Class<?> header = Class.forName("io.undertow.protocols.http2.Http2FrameHeaderParser");
            type = accessible(header.getDeclaredField("type"));
            stream = accessible(header.getDeclaredField("streamId"));
            length = accessible(header.getDeclaredField("length"));
            parser = header.getDeclaredField("parser");
            parser.setAccessible(true);
            headerMap = Class.forName("io.undertow.protocols.http2.Http2HeaderBlockParser")
                    .getDeclaredMethod("getHeaderMap");
            headerMap.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{} Undertow's header block is out of reach ({}); an HTTP/2 content-length that is "
                    + "not a number ends the connection instead of the stream",
                    EDGE_H2_RULES_OUT_OF_REACH, e.toString());
        }
        FRAME_PARSER = parser;
        HEADER_MAP = headerMap;
        FRAME_TYPE = type;
        FRAME_STREAM = stream;
        FRAME_LENGTH = length;
    }

    private static java.lang.reflect.Field accessible(java.lang.reflect.Field f) {
        f.setAccessible(true);
        return f;
    }

    /** The header block being parsed for this frame (Undertow keeps it package-private); null for other frames. */
    private static HeaderMap headersOf(FrameHeaderData frame) {
        if (FRAME_PARSER == null || HEADER_MAP == null) {
            return null;
        }
        try {
            Object p = FRAME_PARSER.get(frame);
            return HEADER_MAP.getDeclaringClass().isInstance(p) ? (HeaderMap) HEADER_MAP.invoke(p) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Removes a content-length that is not a number from a header block; what was wrong, or null. */
    private static String withoutBadLength(HeaderMap headers) {
        io.undertow.util.HeaderValues cl = headers == null ? null
                : headers.get(io.undertow.util.Headers.CONTENT_LENGTH);
        if (cl == null) {
            return null;
        }
        for (int i = 0; i < cl.size(); i++) {
            if (EdgeHandler.parseLength(cl.get(i)) < 0) {
                headers.remove(io.undertow.util.Headers.CONTENT_LENGTH);
                return "content-length not a number";
            }
        }
        return null;
    }

    private static Method resetSource() {
        try {
            Method m = AbstractHttp2StreamSourceChannel.class.getDeclaredMethod("rstStream", int.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{} Undertow's stream reset is out of reach ({}); malformed HTTP/2 requests are "
                    + "still reset, their streams end when the connection does",
                    EDGE_H2_RULES_OUT_OF_REACH, e.toString());
            return null;
        }
    }
}
