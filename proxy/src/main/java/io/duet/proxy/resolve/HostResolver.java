package io.duet.proxy.resolve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks host names up. Called only on the resolver threads ({@code duet-resolve-N}), never on an I/O or health
 * thread; may block. Production uses {@link SystemHostResolver}; tests pass their own through
 * {@code DataPlaneOptions}.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address of {@code host}, in the order the resolver gives them; never empty.
     *
     * @throws UnknownHostException when the name has no address or the lookup failed (the message says why)
     */
    List<InetAddress> lookup(String host) throws UnknownHostException;

    /**
     * A warning for the operator when this resolver caches answers in a way that delays changes beyond the pools'
     * {@code resolve.intervalMs}, else {@code null}. Any thread.
     */
    default String cachingWarning() {
        return null;
    }
}
