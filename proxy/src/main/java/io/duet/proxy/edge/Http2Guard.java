package io.duet.proxy.edge;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2StreamSourceChannel;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http2.Http2OpenListener;
import io.undertow.server.protocol.http2.Http2ReceiveListener;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Protocols;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.duet.proxy.message.ProxyMessage.EDGE_H2_MALFORMED;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_RAPID_RESET;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_STREAMS_CANCELLED;
import static io.duet.proxy.message.ProxyMessage.EDGE_H2_STREAMS_COUNTED_BY_EXCHANGE;

/**
 * HTTP/2 connections with the limits Undertow advertises but does not enforce (measured with a misbehaving client
 * in Http2AbuseTest against Undertow 2.4.4):
 * <ul>
 *   <li><b>Concurrent streams</b>: Undertow sends SETTINGS_MAX_CONCURRENT_STREAMS but accepts any number of open
 *       streams. Here a stream beyond {@code maxStreams} gets RST_STREAM(REFUSED_STREAM) before any work is done.</li>
 *   <li><b>Rapid reset</b> (CVE-2023-44487): Undertow's RST_STREAM budget does not count the classic pattern
 *       (HEADERS with END_STREAM, then RST_STREAM), because the response channel already exists. Here every stream
 *       that ends without a complete response, and every refused stream, is a "glitch"; more than
 *       {@code maxGlitches} within {@code windowMs} end the connection with GOAWAY(ENHANCE_YOUR_CALM), like
 *       HAProxy's glitch counter.</li>
 * </ul>
 * The connection is created here (as {@link Http2OpenListener} does, which is final) so that the channel is
 * attached to itself and the request handler can reach it (an exchange only sees a per-stream connection view,
 * whose attachments are the channel's).
 *
 * <p>Thread-safety: a connection's streams are handled on its I/O thread; the counters are atomic anyway because a
 * stream can complete from another thread.
 */
final class Http2Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Guard.class);
    private static final AttachmentKey<Http2Channel> CHANNEL = AttachmentKey.create(Http2Channel.class);
    private static final AttachmentKey<Counters> COUNTERS = AttachmentKey.create(Counters.class);

    private Http2Guard() {
    }

    /** The open listener for ALPN {@code h2}: Undertow's, with the channel attached to itself. */
    static DelegateOpenListener openListener(ByteBufferPool buffers, OptionMap options) {
        return new OpenListener(buffers, options);
    }

    /** Wraps the request handler of HTTP/2 connections made by {@link #openListener}. */
    static HttpHandler handler(HttpHandler next, int maxStreams, int maxGlitches, long windowMs, EdgeEvents events) {
        return exchange -> {
            // HTTP/2 exchanges only (HTTP/1.1 through the same edge passes straight on).
            Http2Channel channel = exchange.getProtocol() == Protocols.HTTP_2_0
                    ? exchange.getConnection().getAttachment(CHANNEL) : null;
            if (channel == null) {
                next.handleRequest(exchange);
                return;
            }
            Counters c = exchange.getConnection().getAttachment(COUNTERS);
            int running = c.open.incrementAndGet();
            if (running > RUNNING_PER_STREAM_LIMIT * maxStreams || streamsOpen(channel, running) > maxStreams) {
                c.open.decrementAndGet();
                events.http2StreamRefused();
                refuse(exchange, channel);
                c.glitch(channel, maxGlitches, windowMs, events);
                return;
            }
            c.started(exchange);
            exchange.addExchangeCompleteListener(c);
            guardTrailers(exchange, channel, events);
            next.handleRequest(exchange);
        };
    }

    /**
     * Exchanges may outlive their stream by a little: a response's last frame is written before its exchange
     * completes (Undertow completes it from a listener afterwards), and the client may open its next stream as soon as
     * it has that frame. The limit the client sees is therefore counted on the streams ({@link #streamsOpen}); the
     * exchanges still running on a connection are bounded at this many times it, which also bounds what streams the
     * client reset (no longer counted as open) may still hold.
     */
    static final int RUNNING_PER_STREAM_LIMIT = 2;

    /**
     * Undertow's count of the connection's open and half-closed streams (RFC 9113 5.1.2), which includes the stream
     * being handled and drops the moment a stream's last frame is written or it is reset; Undertow keeps it in a
     * private field, read here through a handle found once. Null when out of reach: the running exchanges count then.
     */
    private static final java.lang.invoke.VarHandle UNDERTOW_OPEN_STREAMS = undertowOpenStreams();

    private static java.lang.invoke.VarHandle undertowOpenStreams() {
        try {
            return java.lang.invoke.MethodHandles.privateLookupIn(Http2Channel.class,
                    java.lang.invoke.MethodHandles.lookup())
                    .findVarHandle(Http2Channel.class, "receiveConcurrentStreams", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{} HTTP/2 streams are counted by their exchanges (a client opening its next stream the moment "
                    + "a response ends may be refused): {}", EDGE_H2_STREAMS_COUNTED_BY_EXCHANGE, e.toString());
            return null;
        }
    }

    private static int streamsOpen(Http2Channel channel, int running) {
        return UNDERTOW_OPEN_STREAMS == null ? running : (int) UNDERTOW_OPEN_STREAMS.getVolatile(channel);
    }

    /**
     * The stream id of an HTTP/2 exchange: Undertow keeps it in a private field of its per-stream connection view
     * (nothing public exposes it), read once by reflection; null when that is not possible.
     */
    private static final java.lang.reflect.Field REQUEST_CHANNEL = requestChannelField();

    private static java.lang.reflect.Field requestChannelField() {
        try {
            java.lang.reflect.Field f = io.undertow.server.protocol.http2.Http2ServerConnection.class
                    .getDeclaredField("requestChannel");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("{} HTTP/2 streams over the limit are cancelled instead of refused: {}",
                    EDGE_H2_STREAMS_CANCELLED, e.toString());
            return null;
        }
    }

    /** The stream an HTTP/2 exchange reads its request from; null when out of reach. */
    private static Http2StreamSourceChannel source(HttpServerExchange exchange) {
        if (REQUEST_CHANNEL != null) {
            try {
                if (REQUEST_CHANNEL.get(exchange.getConnection()) instanceof Http2StreamSourceChannel s) {
                    return s;
                }
            } catch (IllegalAccessException | IllegalArgumentException e) {
                // out of reach
            }
        }
        return null;
    }

    /**
     * Resets an HTTP/2 exchange's stream with PROTOCOL_ERROR: its request is malformed (RFC 9113 section 8) and is
     * not forwarded; the connection and its other streams go on. Closes the connection when the stream is out of
     * reach. I/O thread.
     */
    static void reset(HttpServerExchange exchange, String why) throws java.io.IOException {
        Http2Channel channel = exchange.getConnection().getAttachment(CHANNEL);
        Http2StreamSourceChannel s = source(exchange);
        LOG.debug("{} malformed HTTP/2 request from {}: {}; RST_STREAM(PROTOCOL_ERROR)", EDGE_H2_MALFORMED,
                exchange.getSourceAddress(), why);
        if (channel != null && s != null) {
            channel.sendRstStream(s.getStreamId(), Http2Channel.ERROR_PROTOCOL_ERROR);
        } else {
            exchange.getConnection().close();
        }
    }

    /**
     * Checks the request's trailer section when it arrives (RFC 9113 8.1: no pseudo-header fields, the field rules of
     * a header section); a malformed one resets the stream, which ends the request towards the server unfinished.
     * Trailers are not forwarded either way.
     */
    private static void guardTrailers(HttpServerExchange exchange, Http2Channel channel, EdgeEvents events) {
        Http2StreamSourceChannel s = source(exchange);
        if (s == null) {
            return;
        }
        Http2StreamSourceChannel.TrailersHandler undertow = s.getTrailersHandler();
        s.setTrailersHandler(trailers -> {
            String violation = Http2RequestRules.trailerViolation(trailers);
            if (violation != null) {
                events.http2Malformed();
                LOG.debug("{} malformed HTTP/2 trailers on stream {} from {}: {}; "
                        + "RST_STREAM(PROTOCOL_ERROR)",
                        EDGE_H2_MALFORMED, s.getStreamId(), channel.getPeerAddress(), violation);
                BodyGuard body = BodyGuard.of(exchange);
                if (body != null) {
                    body.malformed();
                }
                channel.sendRstStream(s.getStreamId(), Http2Channel.ERROR_PROTOCOL_ERROR);
                return;
            }
            if (undertow != null) {
                undertow.handleTrailers(trailers);
            }
        });
    }

    /** RST_STREAM(REFUSED_STREAM): the client may retry it safely; CANCEL when the stream id is out of reach. */
    private static void refuse(HttpServerExchange exchange, Http2Channel channel) throws java.io.IOException {
        Http2StreamSourceChannel s = source(exchange);
        if (s != null) {
            channel.sendRstStream(s.getStreamId(), Http2Channel.ERROR_REFUSED_STREAM);
        } else {
            exchange.getConnection().close();
        }
    }

    /** Per connection: open streams and the glitch window. */
    private static final class Counters implements ExchangeCompletionListener {
        final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        private final Http2Channel channel;
        private final int maxGlitches;
        private final long windowMs;
        private final EdgeEvents events;
        private long windowStart;
        private int glitches;

        Counters(Http2Channel channel, int maxGlitches, long windowMs, EdgeEvents events) {
            this.channel = channel;
            this.maxGlitches = maxGlitches;
            this.windowMs = windowMs;
            this.events = events;
        }

        /** Exchanges of this connection not complete yet; ended when the connection closes. */
        private final Set<HttpServerExchange> inFlight = new java.util.HashSet<>();

        synchronized void started(HttpServerExchange exchange) {
            inFlight.add(exchange);
        }

        /**
         * The connection closed: ends every exchange still open on it, so what they hold (a backend connection in
         * the middle of an upload) is released. Undertow marks the streams broken but a reader waiting for more
         * request body is not woken (measured: Http2ClientAbortScenarioTest).
         */
        void connectionClosed() {
            List<HttpServerExchange> open;
            synchronized (this) {
                open = new ArrayList<>(inFlight);
                inFlight.clear();
            }
            for (HttpServerExchange e : open) {
                if (!e.isComplete()) {
                    e.endExchange();
                }
            }
        }

        @Override
        public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
            synchronized (this) {
                inFlight.remove(exchange);
            }
            open.decrementAndGet();
            if (!exchange.isResponseComplete()) {
                glitch(channel, maxGlitches, windowMs, events); // reset by the client (or the connection died)
            }
            next.proceed();
        }

        synchronized void glitch(Http2Channel ch, int max, long window, EdgeEvents ev) {
            long now = System.nanoTime() / 1_000_000;
            if (glitches == 0 || now - windowStart >= window) {
                windowStart = now;
                glitches = 0;
            }
            if (++glitches == max + 1 && ch.isOpen()) {
                ev.http2ConnectionAbused();
                LOG.warn("{} HTTP/2 connection from {} closed with GOAWAY(ENHANCE_YOUR_CALM): more than "
                        + "{} streams reset or refused within {} s (rapid reset?)",
                        EDGE_H2_RAPID_RESET, ch.getPeerAddress(), max,
                        window / 1000);
                ch.sendGoAway(Http2Channel.ERROR_ENHANCE_YOUR_CALM);
            }
        }
    }

    /** Undertow's HTTP/2 open listener, building the channel itself (see the class comment). */
    private static final class OpenListener implements DelegateOpenListener {
        private final ByteBufferPool buffers;
        private volatile OptionMap options;
        private volatile HttpHandler rootHandler;
        private final int bufferSize;
        private final Set<Http2Channel> connections = Collections.newSetFromMap(new ConcurrentHashMap<>());
        private volatile int maxGlitches;
        private volatile long windowMs;
        private volatile EdgeEvents events = EdgeEvents.NOOP;

        OpenListener(ByteBufferPool buffers, OptionMap options) {
            this.options = options;
            this.buffers = buffers;
            try (PooledByteBuffer b = buffers.allocate()) {
                this.bufferSize = b.getBuffer().remaining();
            }
        }

        void limits(int maxGlitches, long windowMs, EdgeEvents events) {
            this.maxGlitches = maxGlitches;
            this.windowMs = windowMs;
            this.events = events;
        }

        @Override
        public void handleEvent(StreamConnection connection) {
            handleEvent(connection, null);
        }

        @Override
        public void handleEvent(StreamConnection connection, PooledByteBuffer buffer) {
            OptionMap options = getUndertowOptions();
            Http2FrameConduit blocks = new Http2FrameConduit(connection.getSourceChannel().getConduit());
            connection.getSourceChannel().setConduit(blocks);
            if (buffer != null) {
                blocks.admit(buffer.getBuffer());
            }
            GuardedHttp2Channel channel = new GuardedHttp2Channel(connection, buffers, buffer, options, events);
            blocks.breaches(channel);
            channel.frames(blocks);
            Integer idle = options.get(io.undertow.UndertowOptions.IDLE_TIMEOUT);
            if (idle != null && idle > 0) {
                channel.setIdleTimeout(idle);
            }
            channel.putAttachment(CHANNEL, channel);
            Counters counters = new Counters(channel, maxGlitches, windowMs, events);
            channel.putAttachment(COUNTERS, counters);
            connections.add(channel);
            channel.addCloseTask(ch -> {
                connections.remove(ch);
                counters.connectionClosed();
            });
            channel.getReceiveSetter().set(new Http2ReceiveListener(getRootHandler(), options, bufferSize, null));
            channel.resumeReceives();
        }

        @Override
        public ConnectorStatistics getConnectorStatistics() {
            return null;
        }

        @Override
        public HttpHandler getRootHandler() {
            return rootHandler;
        }

        @Override
        public void setRootHandler(HttpHandler handler) {
            this.rootHandler = handler;
        }

        @Override
        public OptionMap getUndertowOptions() {
            return options;
        }

        @Override
        public void setUndertowOptions(OptionMap undertowOptions) {
            this.options = undertowOptions;
        }

        @Override
        public ByteBufferPool getBufferPool() {
            return buffers;
        }

        @Override
        public void closeConnections() {
            for (Http2Channel c : connections) {
                IoUtils.safeClose(c);
            }
        }
    }

    /** Sets the glitch budget of connections the listener opens from now on. */
    static void limits(DelegateOpenListener listener, int maxGlitches, long windowMs, EdgeEvents events) {
        ((OpenListener) listener).limits(maxGlitches, windowMs, events);
    }
}
