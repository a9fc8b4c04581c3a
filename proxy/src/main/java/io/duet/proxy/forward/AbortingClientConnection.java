package io.duet.proxy.forward;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientStatistics;
import io.undertow.connector.ByteBufferPool;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.Option;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The backend connection as Undertow's ProxyHandler sees it for one exchange: everything is delegated, except that
 * {@link #close()} aborts the connection instead of closing it cleanly.
 *
 * <p>Why: ProxyHandler closes the backend connection when forwarding fails midway (the client's body broke a limit
 * or went away, a timeout fired). Undertow's {@code HttpClientConnection.close()} is a clean close: it shuts down
 * writes through the request's conduits first, so a chunked request body gets its terminating {@code 0} chunk and
 * the backend receives a truncated body as if it were complete (seen with Undertow 2.4.4). Here the request
 * conduits are dropped first (Undertow's own {@code performUpgrade()} puts the raw conduit back) and the socket is
 * closed, so the backend sees the body end early.
 *
 * <p>The pool keeps the real connection; only ProxyHandler holds this wrapper. Threads: as the delegate (the
 * connection's I/O thread).
 */
final class AbortingClientConnection implements ClientConnection {
    private final ClientConnection delegate;

    AbortingClientConnection(ClientConnection delegate) {
        this.delegate = delegate;
    }

    /** Aborts the connection: no further byte of the request is written. */
    @Override
    public void close() throws IOException {
        if (!delegate.isOpen()) {
            return;
        }
        StreamConnection raw = null;
        try {
            raw = delegate.performUpgrade();
        } catch (IOException | RuntimeException e) {
            // Already closing: the clean close below is all that is left.
        }
        if (raw != null) {
            IoUtils.safeClose(raw);
        }
        IoUtils.safeClose(delegate);
    }

    @Override
    public void sendRequest(ClientRequest request, ClientCallback<ClientExchange> clientCallback) {
        delegate.sendRequest(request, clientCallback);
    }

    @Override
    public StreamConnection performUpgrade() throws IOException {
        return delegate.performUpgrade();
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return delegate.getBufferPool();
    }

    @Override
    public SocketAddress getPeerAddress() {
        return delegate.getPeerAddress();
    }

    @Override
    public <A extends SocketAddress> A getPeerAddress(Class<A> type) {
        return delegate.getPeerAddress(type);
    }

    @Override
    public ChannelListener.Setter<? extends ClientConnection> getCloseSetter() {
        return delegate.getCloseSetter();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public <A extends SocketAddress> A getLocalAddress(Class<A> type) {
        return delegate.getLocalAddress(type);
    }

    @Override
    public XnioWorker getWorker() {
        return delegate.getWorker();
    }

    @Override
    public XnioIoThread getIoThread() {
        return delegate.getIoThread();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public boolean supportsOption(Option<?> option) {
        return delegate.supportsOption(option);
    }

    @Override
    public <T> T getOption(Option<T> option) throws IOException {
        return delegate.getOption(option);
    }

    @Override
    public <T> T setOption(Option<T> option, T value) throws IOException {
        return delegate.setOption(option, value);
    }

    @Override
    public boolean isUpgraded() {
        return delegate.isUpgraded();
    }

    @Override
    public boolean isPushSupported() {
        return delegate.isPushSupported();
    }

    @Override
    public boolean isMultiplexingSupported() {
        return delegate.isMultiplexingSupported();
    }

    @Override
    public ClientStatistics getStatistics() {
        return delegate.getStatistics();
    }

    @Override
    public boolean isUpgradeSupported() {
        return delegate.isUpgradeSupported();
    }

    @Override
    public void addCloseListener(ChannelListener<ClientConnection> listener) {
        delegate.addCloseListener(listener);
    }

    @Override
    public boolean isPingSupported() {
        return delegate.isPingSupported();
    }

    @Override
    public void sendPing(PingListener listener, long timeout, TimeUnit timeUnit) {
        delegate.sendPing(listener, timeout, timeUnit);
    }
}
