package io.duet.proxy.pool;

import io.duet.proxy.resolve.ServerAddress;
import io.undertow.connector.ByteBufferPool;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.duet.proxy.message.ProxyMessage.SERVER_HANDSHAKE_FAILED;

/**
 * The keep-alive connections to one backend server: one idle stack per I/O thread, touched only by that thread, so
 * taking and returning a connection costs no lock and no atomic. A request uses a connection of its own thread
 * (the most recently used one first, which keeps few connections warm); when there is none it opens one on its
 * thread. Idle connections are closed after {@link #IDLE_TTL_NANOS}, when the server closes them, or, beyond
 * {@code maxIdlePerThread} on a thread, once they stayed idle for {@link #SURPLUS_IDLE_NANOS}: a burst of concurrent
 * requests (an HTTP/2 client sends 100 at once) keeps the connections it opened for the next burst instead of closing
 * them as each request ends and opening them again (HAProxy's {@code pool-purge-delay} works alike, 5 s by default).
 *
 * <p>New connections go to the server's current {@link ServerAddress}. When it changes (a host name that now resolves
 * elsewhere), the connections to the old address drain: none takes a new request, idle ones are closed, busy ones
 * when their request ends.
 *
 * <p>Kept across reloads while the server's address, port and connection settings do not change.
 */
public final class ServerConnections {
    /** Idle connections are closed after this long (servers often close theirs sooner; that is noticed at once). */
    static final long IDLE_TTL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Idle connections above the per-thread limit are closed once idle this long (the oldest first). */
    static final long SURPLUS_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** The outcome of {@link #connect}; called on the requesting I/O thread. */
    public interface ConnectCallback {
        void connected(BackendConnection connection);

        /** @param timedOut true for a connect timeout, false for a refused or failed connect */
        void connectFailed(boolean timedOut, IOException cause);
    }

    private final ServerAddress address;
    private final ServerAddress.Listener drainOld = a -> closeStaleIdle();
    private final ByteBufferPool readBuffers;
    private final int maxIdlePerThread;
    private final OptionMap options;
    /** TLS to this server, or null for plain HTTP. */
    private final BackendTlsContext tls;
    private final ArrayDeque<BackendConnection>[] idle;
    private final boolean[] purgeScheduled;
    private final boolean[] trimScheduled;
    /** The I/O thread of each idle stack, once it opened a connection (for work on that thread). */
    private final AtomicReferenceArray<XnioIoThread> threads;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;
    private volatile long lastTlsWarnNanos;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerConnections.class);

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    ServerConnections(ServerAddress address, int maxIdlePerThread, ByteBufferPool readBuffers, int ioThreads,
                      OptionMap options, BackendTlsContext tls) {
        this.address = address;
        this.tls = tls;
        this.readBuffers = readBuffers;
        this.maxIdlePerThread = maxIdlePerThread;
        this.options = options;
        this.idle = new ArrayDeque[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            idle[i] = new ArrayDeque<>();
        }
        this.purgeScheduled = new boolean[ioThreads];
        this.trimScheduled = new boolean[ioThreads];
        this.threads = new AtomicReferenceArray<>(ioThreads);
        if (address.followsDns()) {
            address.subscribe(drainOld);
        }
    }

    /** Where this server is now: new connections go there. */
    public ServerAddress address() {
        return address;
    }

    /**
     * An idle connection of this I/O thread to the server's current address, or {@code null}. Idle connections to an
     * address the server no longer has are closed on the way. Called on {@code thread}.
     */
    public BackendConnection acquire(XnioIoThread thread) {
        ArrayDeque<BackendConnection> stack = idle[slot(thread)];
        InetSocketAddress now = address.current();
        BackendConnection c;
        while ((c = stack.pollFirst()) != null) {
            if (c.isOpen() && c.target() == now) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /**
     * Opens a new connection on {@code thread}; the callback runs on that thread, exactly once. A connect that has
     * not finished after {@code timeoutMs} (0: no limit) is cancelled.
     */
    public void connect(XnioIoThread thread, ConnectCallback callback, long timeoutMs) {
        if (closed) {
            callback.connectFailed(false, new IOException("the server was removed from the configuration"));
            return;
        }
        InetSocketAddress target = address.current();
        if (target == null) {
            callback.connectFailed(false, new IOException(address.host() + " has no address for this server"));
            return;
        }
        int slot = slot(thread);
        if (threads.get(slot) == null) {
            threads.set(slot, thread);
        }
        new Connect(thread, callback, timeoutMs, target).start();
    }

    /** Where responses from this server are read into (large buffers; see ConnectionPools#readBuffers). */
    public ByteBufferPool readBuffers() {
        return readBuffers;
    }

    /** Connections open to this server now, busy and idle, on every thread. */
    public int open() {
        return open.get();
    }

    private int slot(XnioIoThread thread) {
        return thread.getNumber() % idle.length;
    }

    void release(BackendConnection c) {
        if (closed || !c.isOpen() || c.target() != address.current()) {
            c.close();
            return;
        }
        int slot = slot(c.thread());
        ArrayDeque<BackendConnection> stack = idle[slot];
        c.idleSinceNanos = System.nanoTime();
        stack.addFirst(c);
        if (stack.size() > maxIdlePerThread && !trimScheduled[slot]) {
            trimScheduled[slot] = true;
            new Sweep(c.thread(), slot, maxIdlePerThread, SURPLUS_IDLE_NANOS, trimScheduled).schedule(SURPLUS_IDLE_NANOS);
        }
        if (!purgeScheduled[slot]) {
            purgeScheduled[slot] = true;
            new Sweep(c.thread(), slot, 0, IDLE_TTL_NANOS, purgeScheduled).schedule(IDLE_TTL_NANOS);
        }
    }

    void dropIdle(BackendConnection c) {
        idle[slot(c.thread())].remove(c);
    }

    void closed(BackendConnection c) {
        open.decrementAndGet();
    }

    void detached(BackendConnection c) {
        open.decrementAndGet();
    }

    /**
     * The server's address changed: each thread closes its idle connections to another address (busy ones close when
     * their request ends, see {@link #release}). Resolver thread; does not block.
     */
    private void closeStaleIdle() {
        for (int i = 0; i < threads.length(); i++) {
            XnioIoThread thread = threads.get(i);
            if (thread == null) {
                continue;
            }
            ArrayDeque<BackendConnection> stack = idle[i];
            thread.execute(() -> {
                InetSocketAddress now = address.current();
                stack.removeIf(c -> {
                    if (c.target() == now && c.isOpen()) {
                        return false;
                    }
                    c.close();
                    return true;
                });
            });
        }
    }

    /**
     * Stops pooling: idle connections are closed by their own threads, busy ones when their request ends. Any
     * thread.
     */
    public void close() {
        address.unsubscribe(drainOld);
        closed = true;
        for (int i = 0; i < idle.length; i++) {
            ArrayDeque<BackendConnection> stack = idle[i];
            BackendConnection any = stack.peekFirst();
            if (any != null) {
                any.thread().execute(() -> {
                    BackendConnection c;
                    while ((c = stack.pollFirst()) != null) {
                        c.close();
                    }
                });
            }
        }
    }

    @Override
    public String toString() {
        return address.host() + ":" + address.port();
    }

    /**
     * Closes, oldest first, the idle connections of one thread beyond the first {@code keep} that stayed idle for
     * {@code limitNanos} (all of them once the pool is closed): the TTL sweep keeps none past {@link #IDLE_TTL_NANOS};
     * the surplus sweep keeps {@code maxIdlePerThread} past {@link #SURPLUS_IDLE_NANOS}. The stack's tail is what a
     * whole period of traffic did not need (the most recently used are taken first). Runs on that thread, again when
     * the next one is due, until none is left to close.
     */
    private final class Sweep implements Runnable {
        private final XnioIoThread thread;
        private final int slot;
        private final int keep;
        private final long limitNanos;
        private final boolean[] scheduled;

        Sweep(XnioIoThread thread, int slot, int keep, long limitNanos, boolean[] scheduled) {
            this.thread = thread;
            this.slot = slot;
            this.keep = keep;
            this.limitNanos = limitNanos;
            this.scheduled = scheduled;
        }

        void schedule(long afterNanos) {
            thread.executeAfter(this, Math.max(1, TimeUnit.NANOSECONDS.toMillis(afterNanos)), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            ArrayDeque<BackendConnection> stack = idle[slot];
            long now = System.nanoTime();
            BackendConnection oldest;
            while (stack.size() > keep && (oldest = stack.peekLast()) != null
                    && (now - oldest.idleSinceNanos >= limitNanos || closed)) {
                stack.pollLast().close();
            }
            if (stack.size() > keep) {
                schedule(limitNanos - (now - stack.peekLast().idleSinceNanos));
            } else {
                scheduled[slot] = false;
            }
        }
    }

    /** One connect attempt with its timeout. */
    private final class Connect implements IoFuture.Notifier<StreamConnection, Void>, Runnable {
        private final XnioIoThread thread;
        private final ConnectCallback callback;
        private final long timeoutMs;
        private final InetSocketAddress target;
        private IoFuture<StreamConnection> future;
        private org.xnio.ssl.SslConnection tlsConnection; // while the TLS handshake runs
        private XnioExecutor.Key timer;
        private boolean done;

        Connect(XnioIoThread thread, ConnectCallback callback, long timeoutMs, InetSocketAddress target) {
            this.thread = thread;
            this.callback = callback;
            this.timeoutMs = timeoutMs;
            this.target = target;
        }

        void start() {
            future = thread.openStreamConnection(target, null, options);
            if (!done && timeoutMs > 0 && future.getStatus() == IoFuture.Status.WAITING) {
                timer = thread.executeAfter(this, timeoutMs, TimeUnit.MILLISECONDS);
            }
            future.addNotifier(this, null);
        }

        /** Connect timeout. */
        @Override
        public void run() {
            if (done) {
                return;
            }
            done = true;
            future.cancel();
            if (tlsConnection != null) {
                IoUtils.safeClose(tlsConnection); // the TLS handshake did not finish in time
            }
            callback.connectFailed(true, null);
        }

        @Override
        public void notify(IoFuture<? extends StreamConnection> f, Void attachment) {
            if (f.getStatus() == IoFuture.Status.DONE) {
                StreamConnection channel;
                try {
                    channel = f.get();
                } catch (IOException e) {
                    fail(e);
                    return;
                }
                if (done || closed) {
                    IoUtils.safeClose(channel);
                    if (!done) {
                        done = true;
                        callback.connectFailed(false, new IOException("the server was removed from the configuration"));
                    }
                    return;
                }
                if (tls != null) {
                    handshake(channel);
                    return;
                }
                finish();
                open.incrementAndGet();
                callback.connected(new BackendConnection(channel, ServerConnections.this, target));
            } else if (f.getStatus() == IoFuture.Status.FAILED) {
                fail(f.getException());
            } else if (!done) {
                fail(new IOException("connect cancelled"));
            }
        }

        /**
         * TLS: the handshake is part of connecting (the connect timeout covers it, and a failed handshake is a failed
         * connect: retried elsewhere for idempotent requests and counted by passive health). Driven by reading and
         * flushing until the connection's handshake listener reports it complete.
         */
        private void handshake(StreamConnection plain) {
            org.xnio.ssl.SslConnection ssl;
            try {
                ssl = tls.wrap(plain);
            } catch (RuntimeException e) {
                IoUtils.safeClose(plain);
                tlsFailed(new IOException("TLS setup failed: " + e.getMessage(), e));
                return;
            }
            tlsConnection = ssl;
            java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocate(1);
            ssl.getHandshakeSetter().set(c -> {
                if (done) {
                    return;
                }
                finish();
                c.getSourceChannel().getReadSetter().set(null);
                c.getSinkChannel().getWriteSetter().set(null);
                c.getSinkChannel().suspendWrites();
                open.incrementAndGet();
                callback.connected(new BackendConnection(c, ServerConnections.this, target));
            });
            ssl.getSourceChannel().getReadSetter().set(source -> {
                try {
                    scratch.clear();
                    if (source.read(scratch) < 0) {
                        throw new IOException("the server closed the connection during the TLS handshake");
                    }
                } catch (IOException e) {
                    IoUtils.safeClose(ssl);
                    tlsFailed(e);
                }
            });
            ssl.getSinkChannel().getWriteSetter().set(sink -> {
                try {
                    if (sink.flush()) {
                        sink.suspendWrites();
                    }
                } catch (IOException e) {
                    IoUtils.safeClose(ssl);
                    tlsFailed(e);
                }
            });
            try {
                ssl.startHandshake();
                ssl.getSourceChannel().resumeReads();
                ssl.getSinkChannel().resumeWrites();
            } catch (IOException e) {
                IoUtils.safeClose(ssl);
                tlsFailed(e);
            }
        }

        /** A failed TLS handshake: a failed connect, logged with its reason (at most every 10 s per server). */
        private void tlsFailed(IOException e) {
            if (done) {
                return;
            }
            long now = System.nanoTime();
            long last = lastTlsWarnNanos;
            if (last == 0 || now - last > TimeUnit.SECONDS.toNanos(10)) {
                lastTlsWarnNanos = now;
                String refusal = tlsConnection == null ? null
                        : BackendTlsContext.refusal(io.undertow.protocols.ssl.UndertowXnioSsl.getSslEngine(tlsConnection));
                LOG.warn("{} TLS handshake with {} ({}) failed: {}", SERVER_HANDSHAKE_FAILED, target, tls,
                        refusal != null ? refusal : rootMessage(e));
            }
            fail(e);
        }

        private void fail(IOException e) {
            if (done) {
                return;
            }
            finish();
            callback.connectFailed(false, e);
        }

        private void finish() {
            done = true;
            if (timer != null) {
                timer.remove();
            }
        }
    }
}
