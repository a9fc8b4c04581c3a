package io.duet.proxy.edge;

import io.duet.config.CidrBlock;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.proxy.ProxyProtocolOpenListener;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts a listener's connections: counts them, sends peers trusted for the PROXY protocol through Undertow's
 * PROXY v1/v2 parser first, puts a {@link HeadGuardConduit} at the bottom of every connection and hands it to
 * Undertow's HTTP/1.1 open listener.
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

    EdgeOpenListener(HttpOpenListener http, ByteBufferPool buffers, EdgeSettings settings, List<CidrBlock> proxyPeers,
                     int maxConnections) {
        this.http = http;
        this.settings = settings;
        this.proxyPeers = List.copyOf(proxyPeers);
        this.proxy = proxyPeers.isEmpty() ? null : new ProxyProtocolOpenListener(this, null, buffers, null);
        this.maxConnections = maxConnections;
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
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.getCloseSetter().set(ch -> {
            open.decrementAndGet();
            settings.events().connectionClosed();
        });
        if (proxy != null && trusted(connection.getPeerAddress())) {
            proxy.handleEvent(connection);
        } else {
            handleEvent(connection, null);
        }
    }

    /** A connection ready for HTTP, possibly behind a PROXY header and with bytes already read after it. */
    @Override
    public void handleEvent(StreamConnection connection, PooledByteBuffer pending) {
        HeadGuardConduit guard = new HeadGuardConduit(connection, settings);
        connection.getSourceChannel().setConduit(guard);
        connection.getSinkChannel().setConduit(guard.sinkGuard());
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
