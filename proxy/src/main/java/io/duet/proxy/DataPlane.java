package io.duet.proxy;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.proxy.forward.ErrorPages;
import io.duet.proxy.forward.ForwardEvents;
import io.duet.proxy.pool.ConnectionPools;
import io.duet.proxy.routing.Router;
import io.duet.proxy.runtime.RuntimeSnapshot;
import io.duet.proxy.runtime.SnapshotCompiler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data plane: the listeners and everything behind them. The public face of the proxy module.
 *
 * <p>Requests take the current {@link RuntimeSnapshot} once and keep it to the end; {@link #apply} compiles a new
 * one and swaps it in atomically, so a reload drops nothing. Thread-safety: {@link #apply} and {@link #close} may
 * be called from any non-I/O thread; they are serialised.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final DataPlaneOptions options;
    private final XnioWorker worker;
    private final ByteBufferPool buffers;
    private final ConnectionPools connectionPools = new ConnectionPools();
    private final SnapshotCompiler compiler;
    private final AtomicReference<RuntimeSnapshot> current = new AtomicReference<>();
    private final Map<String, BoundListener> listeners = new LinkedHashMap<>();
    private final HttpHandler root = this::handle;
    private boolean closed;

    private record BoundListener(Listener spec, AcceptingChannel<StreamConnection> channel) {
    }

    private DataPlane(DataPlaneOptions options) throws IOException {
        this.options = options;
        int io = options.ioThreads() > 0 ? options.ioThreads() : Math.max(1, Runtime.getRuntime().availableProcessors());
        this.worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "duet")
                .set(Options.WORKER_IO_THREADS, io)
                .set(Options.WORKER_TASK_CORE_THREADS, 2)
                .set(Options.WORKER_TASK_MAX_THREADS, 8)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        this.buffers = new DefaultByteBufferPool(true, 16 * 1024, -1, 4);
        this.compiler = new SnapshotCompiler(connectionPools, options.nodeName(), ForwardEvents.NOOP);
    }

    /** Starts listeners for a valid document. Blocks until every listener is bound. */
    public static DataPlane start(DuetConfig config, DataPlaneOptions options) {
        DataPlane dp;
        try {
            dp = new DataPlane(options);
        } catch (IOException e) {
            throw new UncheckedIOException("DUET-PROXY-0001 cannot start the I/O worker: " + e.getMessage(), e);
        }
        try {
            dp.apply(config);
        } catch (RuntimeException e) {
            dp.close();
            throw e;
        }
        return dp;
    }

    /**
     * Applies a new valid document without dropping anything: compiles it on the calling thread, then swaps it in
     * atomically. Listeners whose address changed are rebound; connections to unchanged servers are kept.
     */
    public synchronized void apply(DuetConfig config) {
        if (closed) {
            throw new IllegalStateException("data plane is closed");
        }
        RuntimeSnapshot next = compiler.compile(config);
        RuntimeSnapshot previous = current.getAndSet(next);
        connectionPools.retain(next.pools().values());
        reconcileListeners(config);
        if (previous != null) {
            LOG.info("DUET-PROXY-0100 configuration revision {} applied (was {})", next.revision(), previous.revision());
        }
    }

    private void reconcileListeners(DuetConfig config) {
        Map<String, Listener> wanted = new HashMap<>();
        for (Listener l : config.listeners()) {
            wanted.put(l.name(), l);
        }
        listeners.entrySet().removeIf(e -> {
            Listener w = wanted.get(e.getKey());
            if (w != null && Objects.equals(w, e.getValue().spec())) {
                return false;
            }
            LOG.info("DUET-PROXY-0003 listener '{}' on {} closed", e.getKey(), e.getValue().channel().getLocalAddress());
            IoUtils.safeClose(e.getValue().channel());
            return true;
        });
        for (Listener l : config.listeners()) {
            if (!listeners.containsKey(l.name())) {
                listeners.put(l.name(), bind(l));
            }
        }
    }

    private BoundListener bind(Listener spec) {
        OptionMap undertowOptions = OptionMap.builder()
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.ALWAYS_SET_DATE, true)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .getMap();
        HttpOpenListener open = new HttpOpenListener(buffers, undertowOptions);
        open.setRootHandler(root);
        ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(open);
        OptionMap socket = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 1024)
                .getMap();
        try {
            AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(
                    new InetSocketAddress(spec.address(), spec.port()), accept, socket);
            server.resumeAccepts();
            LOG.info("DUET-PROXY-0002 listener '{}' accepting on {}", spec.name(), server.getLocalAddress());
            return new BoundListener(spec, server);
        } catch (IOException e) {
            throw new UncheckedIOException("DUET-PROXY-0004 listener '" + spec.name() + "' cannot bind "
                    + spec.address() + ":" + spec.port() + ": " + e.getMessage()
                    + " (is another process using the port?)", e);
        }
    }

    /** The root handler of every listener. I/O thread. */
    private void handle(HttpServerExchange exchange) throws Exception {
        RuntimeSnapshot snapshot = current.get();
        exchange.putAttachment(RuntimeSnapshot.KEY, snapshot);
        exchange.addDefaultResponseListener(ErrorPages.DEFAULT_RESPONSE);
        Router.route(exchange, snapshot.hosts(), exchange.getRelativePath(), NOT_FOUND);
    }

    private static final HttpHandler NOT_FOUND = exchange -> {
        exchange.setStatusCode(404);
        exchange.endExchange();
    };

    /** The bound address of a listener (its real port when the document said 0). */
    public synchronized InetSocketAddress address(String listenerName) {
        BoundListener l = listeners.get(listenerName);
        if (l == null) {
            throw new IllegalArgumentException("no listener named '" + listenerName + "'");
        }
        return l.channel().getLocalAddress(InetSocketAddress.class);
    }

    /** The revision of the document in force. */
    public long revision() {
        return current.get().revision();
    }

    public MetricRegistry metrics() {
        return options.metrics();
    }

    /** Stops the listeners, lets in-flight requests finish for a short grace time, closes backend connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BoundListener l : listeners.values()) {
            IoUtils.safeClose(l.channel());
        }
        listeners.clear();
        connectionPools.close();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
        LOG.info("DUET-PROXY-0005 data plane stopped");
    }
}
