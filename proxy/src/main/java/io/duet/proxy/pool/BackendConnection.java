package io.duet.proxy.pool;

import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One HTTP/1.1 connection to a backend server, owned by one I/O thread for its whole life.
 *
 * <p>Reads stay resumed for the whole life of the connection, busy or idle: the forwarder never toggles read
 * interest per request (each toggle is an {@code epoll_ctl}), it only suspends reads while the client cannot take
 * more. While a request is on the connection, read events go to its {@link User}; while it is idle, any read event
 * means the server closed it (or sent bytes nobody asked for), and the connection is closed and dropped from the
 * pool.
 *
 * <p>Threads: every method runs on {@link #thread()}.
 */
public final class BackendConnection implements ChannelListener<ConduitStreamSourceChannel> {

    /** Who uses the connection for one request. Called on the connection's I/O thread. */
    public interface User {
        /** The server sent bytes (or closed). */
        void backendReadable(BackendConnection connection);

        /** The connection can take more bytes after a short write. */
        void backendWritable(BackendConnection connection);
    }

    private final StreamConnection channel;
    private final ServerConnections owner;
    /** The address this connection was opened to (the server's address object at the time). */
    private final java.net.InetSocketAddress target;
    private User user;
    private int requests;
    long idleSinceNanos;

    BackendConnection(StreamConnection channel, ServerConnections owner, java.net.InetSocketAddress target) {
        this.channel = channel;
        this.owner = owner;
        this.target = target;
        channel.getSourceChannel().getReadSetter().set(this);
        channel.getSinkChannel().getWriteSetter().set(sink -> {
            User u = user;
            if (u != null) {
                u.backendWritable(this);
            } else {
                sink.suspendWrites();
            }
        });
        channel.getSourceChannel().resumeReads();
    }

    /** The address it was opened to: the server's address object at that time (compare by identity). */
    java.net.InetSocketAddress target() {
        return target;
    }

    /** The I/O thread that owns this connection. */
    public XnioIoThread thread() {
        return channel.getIoThread();
    }

    public ConduitStreamSourceChannel source() {
        return channel.getSourceChannel();
    }

    public ConduitStreamSinkChannel sink() {
        return channel.getSinkChannel();
    }

    /** The underlying connection (for an upgrade tunnel, after {@link #detach()}). */
    public StreamConnection channel() {
        return channel;
    }

    /** True when this connection already carried a request before the current one. */
    public boolean reused() {
        return requests > 1;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Hands the connection to a request. */
    public void attach(User user) {
        this.user = user;
        requests++;
    }

    /**
     * The request is done and the connection carries no unread bytes of it: back to the pool for the next request
     * on this thread, or closed when the pool does not want it.
     */
    public void release() {
        user = null;
        channel.getSinkChannel().suspendWrites();
        if (!channel.getSourceChannel().isReadResumed()) {
            channel.getSourceChannel().resumeReads();
        }
        owner.release(this);
    }

    /** The request is done with the connection in an unknown state: close it. */
    public void abort() {
        user = null;
        close();
    }

    /** Takes the connection out of the pool's hands for good (an upgrade tunnel); its listeners are cleared. */
    public StreamConnection detach() {
        user = null;
        channel.getSourceChannel().getReadSetter().set(null);
        channel.getSinkChannel().getWriteSetter().set(null);
        owner.detached(this);
        return channel;
    }

    void close() {
        if (channel.isOpen()) {
            IoUtils.safeClose(channel);
            owner.closed(this);
        }
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
        User u = user;
        if (u != null) {
            u.backendReadable(this);
            return;
        }
        // Idle: the server closed the connection or sent something unasked; either way it is unusable. Over TLS a
        // read event may carry only TLS records (a TLS 1.3 session ticket): nothing to read, the connection stays.
        try {
            if (source.read(ByteBuffer.allocate(1)) == 0) {
                return;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        source.suspendReads();
        owner.dropIdle(this);
        close();
    }

    @Override
    public String toString() {
        return "connection to " + owner + " " + channel.getLocalAddress() + " (" + requests + " requests)";
    }
}
