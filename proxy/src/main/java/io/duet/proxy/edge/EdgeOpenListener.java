package io.duet.proxy.edge;

import io.duet.config.CidrBlock;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.proxy.ProxyProtocolOpenListener;
import io.undertow.server.OpenListener;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.ssl.SslConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts a listener's connections: counts them, sends peers trusted for the PROXY protocol through Undertow's
 * PROXY v1/v2 parser first, puts a {@link HeadGuardConduit} at the bottom of every connection and hands it to
 * Undertow's HTTP/1.1 open listener.
 *
 * <p>On a TLS listener ({@link #tls}) the guard goes above the TLS layer instead, so it sees the decrypted
 * stream: accepted connection, [PROXY header], TLS wrap ({@code UndertowSslConnection}), ALPN, then for
 * {@code http/1.1} this listener's {@link #handleEvent(StreamConnection, PooledByteBuffer)} (guard + HTTP/1.1),
 * for {@code h2} Undertow's HTTP/2 listener without the guard (its checks are HTTP/1-specific). The handshake must
 * finish within the header deadline, or the connection is closed.
 *
 * <p>I/O thread (the accepting thread of the connection); never blocks.
 */
final class EdgeOpenListener implements DelegateOpenListener {

    private final HttpOpenListener http;
    private final EdgeSettings settings;
    private final List<CidrBlock> proxyPeers;
    private final ProxyProtocolOpenListener proxy;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final ByteBufferPool buffers;
    private EdgeTls tls;
    private OpenListener tlsEntry;
    private ProxyProtocolOpenListener tlsProxy;

    EdgeOpenListener(HttpOpenListener http, ByteBufferPool buffers, EdgeSettings settings, List<CidrBlock> proxyPeers,
                     int maxConnections) {
        this.http = http;
        this.settings = settings;
        this.proxyPeers = List.copyOf(proxyPeers);
        this.proxy = proxyPeers.isEmpty() ? null : new ProxyProtocolOpenListener(this, null, buffers, null);
        this.maxConnections = maxConnections;
        this.buffers = buffers;
    }

    /**
     * Makes this a TLS listener: wraps connections with {@code tls.ssl()} and hands them to {@code entry} (the ALPN
     * listener, or this listener itself for HTTP/1.1 only). Call once, before accepting.
     */
    void tls(EdgeTls tls, OpenListener entry) {
        this.tls = tls;
        this.tlsEntry = entry;
        if (proxy != null) {
            this.tlsProxy = new ProxyProtocolOpenListener(entry, tls.ssl(), buffers, tls.sslOptions());
        }
    }

    /** Connections open now. */
    int openConnections() {
        return open.get();
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        settings.events().connectionOpened();
        if (open.incrementAndGet() >= maxConnections) {
            settings.events().connectionLimitReached();
        }
        AddressDrains drains = settings.drains();
        AddressDrains.Entry drain = drains == null ? null : drains.opened(connection);
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.getCloseSetter().set(ch -> {
            open.decrementAndGet();
            settings.events().connectionClosed();
            if (drain != null) {
                drains.closed(drain);
            }
        });
        boolean fromProxy = proxy != null && trusted(connection.getPeerAddress());
        if (tls != null) {
            if (fromProxy) {
                tlsProxy.handleEvent(connection);
                return;
            }
            SslConnection ssl = tls.ssl().wrapExistingConnection(connection, tls.sslOptions(), false);
            if (drain != null) {
                drains.wrapped(drain, ssl);
            }
            handshakeDeadline(ssl);
            if (tlsEntry == this) {
                handleEvent(ssl, null);
            } else {
                tlsEntry.handleEvent(ssl);
            }
        } else if (fromProxy) {
            proxy.handleEvent(connection);
        } else {
            handleEvent(connection, null);
        }
    }

    /** Closes a connection whose TLS handshake has not finished within the header deadline. I/O thread. */
    private void handshakeDeadline(SslConnection ssl) {
        XnioExecutor.Key key;
        try {
            key = ssl.getIoThread().executeAfter(() -> {
                settings.events().headerTimeout();
                IoUtils.safeClose(ssl);
            }, settings.headerTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return; // the worker is shutting down
        }
        @SuppressWarnings("unchecked")
        ChannelListener.Setter<SslConnection> setter = (ChannelListener.Setter<SslConnection>) ssl.getHandshakeSetter();
        setter.set(c -> key.remove());
    }

    /** A connection ready for HTTP, possibly behind a PROXY header and with bytes already read after it. */
    @Override
    public void handleEvent(StreamConnection connection, PooledByteBuffer pending) {
        HeadGuardConduit guard = new HeadGuardConduit(connection, settings);
        AddressDrains drains = settings.drains();
        AddressDrains.Entry drain = drains == null ? null : drains.entryOf(connection);
        if (drain != null) {
            drain.guard = guard;
            guard.drainEntry = drain;
        }
        guard.install();
        if (pending != null && !guard.rearm(pending)) {
            pending.close();
            return;
        }
        http.handleEvent(connection, pending);
    }

    private boolean trusted(SocketAddress peer) {
        return peer instanceof InetSocketAddress && CidrBlock.anyContains(proxyPeers, ((InetSocketAddress) peer).getAddress());
    }

    @Override
    public HttpHandler getRootHandler() {
        return http.getRootHandler();
    }

    @Override
    public void setRootHandler(HttpHandler rootHandler) {
        http.setRootHandler(rootHandler);
    }

    @Override
    public OptionMap getUndertowOptions() {
        return http.getUndertowOptions();
    }

    @Override
    public void setUndertowOptions(OptionMap undertowOptions) {
        http.setUndertowOptions(undertowOptions);
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return http.getBufferPool();
    }

    @Override
    public ConnectorStatistics getConnectorStatistics() {
        return http.getConnectorStatistics();
    }

    @Override
    public void closeConnections() {
        http.closeConnections();
    }
}
