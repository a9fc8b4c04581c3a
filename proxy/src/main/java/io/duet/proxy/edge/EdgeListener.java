package io.duet.proxy.edge;

import io.duet.config.CidrBlock;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;

import static io.duet.proxy.message.ProxyMessage.LISTENER_BIND_FAILED;

/**
 * One HTTP/1.1 listener with Duet's edge in front of {@code next}: request-head limits answered 414/431/408,
 * framing and Host checks (400), body limits (413, 408), the path canonicalised once, PROXY protocol from
 * trusted peers, idle keep-alive timeout, and a cap on open connections. Built like {@code Undertow.start()}
 * does it internally (an {@link HttpOpenListener} behind an XNIO accepting channel), with our own open listener.
 *
 * <p>Undertow's own parser still runs behind the edge and answers a bare 400 for what it rejects (bad bytes,
 * obs-fold, malformed chunking). Its size caps are set above ours ({@code MAX_HEADER_SIZE} =
 * maxRequestLineBytes + maxHeaderBytes + 4096, {@code MAX_HEADERS} = maxHeaderCount + 16), so ours always fire
 * first; bytes Undertow buffered beyond one pipelined request are checked when that request starts.
 *
 * <p>Thread-safety: {@link #bind} and {@link #close} from any non-I/O thread; {@link #next(HttpHandler)} from
 * any thread.
 */
public final class EdgeListener implements AutoCloseable {
    /** HTTP/2 streams a client may open at once (edge-hardening.md). */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** Rapid reset: more RST_STREAM frames than this from a client within the window end the connection. */
    static final int MAX_RST_FRAMES_PER_WINDOW = 200;
    static final int RST_FRAMES_WINDOW_MS = 30_000;

    private final String name;
    private final AcceptingChannel<StreamConnection> server;
    private final EdgeHandler edge;
    private final EdgeOpenListener open;

    private EdgeListener(String name, AcceptingChannel<StreamConnection> server, EdgeHandler edge, EdgeOpenListener open) {
        this.name = name;
        this.server = server;
        this.edge = edge;
        this.open = open;
    }

    /**
     * Binds the listener and starts accepting. Blocks until bound.
     *
     * @param worker  the XNIO worker whose I/O threads serve the connections
     * @param buffers Undertow's buffer pool (at least 1 KiB buffers; 16 KiB recommended)
     * @param spec    address, port (0: ephemeral) and PROXY protocol trust
     * @param limits  the edge limits
     * @param events  counters for every limit that fires ({@link EdgeEvents#NOOP} when nobody counts)
     * @param next    the handler that receives clean exchanges (the router)
     * @throws UncheckedIOException when the address cannot be bound (DUET-PROXY-0101)
     * @throws IllegalArgumentException when a trusted PROXY address is not a literal address block
     */
    public static EdgeListener bind(XnioWorker worker, ByteBufferPool buffers, Listener spec, Limits limits,
                                    EdgeEvents events, HttpHandler next) {
        return bind(worker, buffers, spec, limits, events, next, null);
    }

    /**
     * Binds a listener, with TLS when {@code tls} is not null (see {@link EdgeOpenListener} for the layering).
     * HTTP/2 (when offered) gets the edge-hardening limits: 100 concurrent streams, the header list capped like
     * HTTP/1's header block, at most 200 RST_STREAM frames received per 30 s (rapid reset: GOAWAY beyond), no
     * server push.
     */
    public static EdgeListener bind(XnioWorker worker, ByteBufferPool buffers, Listener spec, Limits limits,
                                    EdgeEvents events, HttpHandler next, EdgeTls tls) {
        return bind(worker, buffers, spec, limits, events, next, tls, null);
    }

    /** As above; connections to addresses {@code drains} tracks (the VIPs) are registered there for draining. */
    public static EdgeListener bind(XnioWorker worker, ByteBufferPool buffers, Listener spec, Limits limits,
                                    EdgeEvents events, HttpHandler next, EdgeTls tls, AddressDrains drains) {
        EdgeSettings settings = EdgeSettings.of(limits, events, drains);
        OptionMap undertowOptions = OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, limits.maxRequestLineBytes() + limits.maxHeaderBytes() + 4096)
                .set(UndertowOptions.MAX_HEADERS, limits.maxHeaderCount() + 16)
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, limits.idleTimeoutMs()))
                // Body size is the edge's (BodyGuard: limits.maxBodyBytes, a route's own maxBodyBytes) with its own
                // 413; Undertow's default 2 MiB entity limit would cut larger allowed bodies with a bare error.
                .set(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .set(UndertowOptions.ENABLE_HTTP2, false)
                .getMap();
        HttpOpenListener http = new HttpOpenListener(buffers, undertowOptions);
        EdgeHandler edge = new EdgeHandler(settings, next);
        http.setRootHandler(edge);

        List<CidrBlock> proxyPeers = spec.proxyProtocol().enabled()
                ? CidrBlock.parseAll(spec.proxyProtocol().trustedAddresses(), "proxyProtocol.trustedAddresses")
                : List.of();
        int maxConnections = limits.maxConnectionsPerListener();
        EdgeOpenListener open = new EdgeOpenListener(http, buffers, settings, proxyPeers, maxConnections);
        if (tls != null) {
            OpenListener entry = open;
            if (tls.http2()) {
                OptionMap h2Options = OptionMap.builder()
                        .addAll(undertowOptions)
                        .set(UndertowOptions.ENABLE_HTTP2, true)
                        .set(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS)
                        .set(UndertowOptions.HTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
                                limits.maxRequestLineBytes() + limits.maxHeaderBytes())
                        .set(UndertowOptions.HTTP2_SETTINGS_ENABLE_PUSH, false)
                        .set(UndertowOptions.MAX_RST_FRAMES_PER_WINDOW, MAX_RST_FRAMES_PER_WINDOW)
                        .set(UndertowOptions.RST_FRAMES_TIME_WINDOW, RST_FRAMES_WINDOW_MS)
                        .set(UndertowOptions.MAX_ENTITY_SIZE, -1L) // the edge's BodyGuard decides, with its 413
                        .getMap();
                io.undertow.server.DelegateOpenListener h2 = Http2Guard.openListener(buffers, h2Options);
                Http2Guard.limits(h2, MAX_RST_FRAMES_PER_WINDOW, RST_FRAMES_WINDOW_MS, events);
                h2.setRootHandler(Http2Guard.handler(edge, MAX_CONCURRENT_STREAMS, MAX_RST_FRAMES_PER_WINDOW,
                        RST_FRAMES_WINDOW_MS, events));
                AlpnOpenListener alpn = new AlpnOpenListener(buffers, undertowOptions, open);
                alpn.addProtocol(Http2OpenListener.HTTP2, h2, 10);
                entry = alpn;
            }
            open.tls(tls, entry);
        }
        ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(open);
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000)
                .set(Options.CONNECTION_HIGH_WATER, maxConnections)
                .set(Options.CONNECTION_LOW_WATER, maxConnections)
                .getMap();
        InetSocketAddress address = new InetSocketAddress(spec.address(), spec.port());
        try {
            AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(address, accept, socketOptions);
            server.resumeAccepts();
            return new EdgeListener(spec.name(), server, edge, open);
        } catch (IOException e) {
            throw new UncheckedIOException(LISTENER_BIND_FAILED + " listener '" + spec.name() + "': cannot bind "
                    + address + " (" + e.getMessage() + "); free the port or change the listener's address", e);
        }
    }

    /** The listener's name from the configuration. */
    public String name() {
        return name;
    }

    /** The bound address (the real port when the spec said 0). */
    public InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    /** Swaps the handler that receives clean exchanges; exchanges already running keep the old one. */
    public void next(HttpHandler handler) {
        edge.next(handler);
    }

    /** Connections open now. */
    public int openConnections() {
        return open.openConnections();
    }

    /** Stops accepting. Connections already open finish their exchanges (the idle timeout ends them). */
    @Override
    public void close() {
        IoUtils.safeClose(server);
    }
}
