package io.duet.proxy;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;

import java.net.InetSocketAddress;

/**
 * The data plane: the listeners and everything behind them. The public face of the proxy module.
 *
 * <p>Thread-safety: {@link #apply} may be called from any non-I/O thread; calls are serialised.
 */
public final class DataPlane implements AutoCloseable {

    private DataPlane() {
    }

    /** Starts listeners for a valid document. Blocks until every listener is bound. */
    public static DataPlane start(DuetConfig config, DataPlaneOptions options) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Applies a new valid document without dropping anything: compiles it on the calling thread, then swaps it in
     * atomically. Listeners whose address changed are rebound; connections to unchanged servers are kept.
     */
    public void apply(DuetConfig config) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The bound address of a listener (its real port when the document said 0). */
    public InetSocketAddress address(String listenerName) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The revision of the document in force. */
    public long revision() {
        throw new UnsupportedOperationException("TODO");
    }

    public MetricRegistry metrics() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops the listeners, lets in-flight requests finish for a short grace time, closes backend connections. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
