package io.duet.proxy.resolve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.duet.proxy.message.ProxyMessage.RESOLVE_BUG;

/**
 * The current address of one server: the one place forwarding (new backend connections) and active health checks
 * read it from, so both always reach the same address. A server given by IP address has a fixed one; a server given
 * by host name gets its address from the resolver threads ({@link NameResolution}), and has none until a lookup
 * succeeds, after failed lookups outlast the hold time, or while its name has fewer addresses than its pool expands
 * it to.
 *
 * <p>Threads: {@link #current()} is one volatile read, for I/O threads; the resolver threads write. While the address
 * does not change, {@link #current()} returns the same object, so a connection can tell by identity whether it was
 * opened to the current address.
 */
public final class ServerAddress {
    private static final Logger LOG = LoggerFactory.getLogger(ServerAddress.class);

    /**
     * What an operator sees of the address.
     *
     * @param address    the address in use, or null when there is none
     * @param resolvedAt the last lookup that gave (or confirmed) it; null for a server given by IP address
     * @param error      why the last lookup failed, or null when it succeeded
     * @param errorSince when lookups started failing, or null
     */
    public record Status(InetSocketAddress address, Instant resolvedAt, String error, Instant errorSince) {
    }

    /** Told that {@link #current()} changed. Runs on a resolver thread; must not block. */
    @FunctionalInterface
    public interface Listener {
        void addressChanged(ServerAddress address);
    }

    private final String host;
    private final int port;
    private final boolean followsDns;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile InetSocketAddress current;
    private volatile Status status;

    private ServerAddress(String host, int port, boolean followsDns, InetSocketAddress current) {
        this.host = host;
        this.port = port;
        this.followsDns = followsDns;
        this.current = current;
        this.status = new Status(current, null, null, null);
    }

    /** A server given by IP address {@code ip} (written as {@code host}): this address for ever, never looked up. */
    public static ServerAddress literal(String host, InetAddress ip, int port) {
        return new ServerAddress(host, port, false, new InetSocketAddress(ip, port));
    }

    /** A server given by host name: no address until the resolver sets one. */
    static ServerAddress named(String host, int port) {
        return new ServerAddress(host, port, true, null);
    }

    /** The address to connect to now, or {@code null} when there is none. Any thread; one volatile read. */
    public InetSocketAddress current() {
        return current;
    }

    /** The address as the document gives it: an IP address or a host name. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** True for a server given by host name, whose address follows DNS. */
    public boolean followsDns() {
        return followsDns;
    }

    /** The address and how the last lookup went. Any thread. */
    public Status status() {
        return status;
    }

    /** Calls {@code l} after every change of {@link #current()}. Any thread. */
    public void subscribe(Listener l) {
        listeners.add(l);
    }

    public void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    /** A lookup gave this server {@code ip}. Resolver thread. Returns true when the address changed. */
    boolean resolved(InetAddress ip, Instant at) {
        InetSocketAddress was = current;
        boolean changed = was == null || !was.getAddress().equals(ip);
        InetSocketAddress now = changed ? new InetSocketAddress(ip, port) : was;
        status = new Status(now, at, null, null);
        if (changed) {
            current = now;
            notifyListeners();
        }
        return changed;
    }

    /** A lookup failed at {@code since} (the first failure in a row); the address stays. Resolver thread. */
    void failed(String error, Instant since) {
        Status s = status;
        status = new Status(s.address(), s.resolvedAt(), error, since);
    }

    /**
     * The server has no address any more: the name lost it, or failures outlasted the hold time ({@code error} says
     * why, else null). Resolver thread. Returns true when it had one.
     */
    boolean cleared(Instant at, String error, Instant errorSince) {
        InetSocketAddress was = current;
        Status s = status;
        status = new Status(null, error == null ? at : s.resolvedAt(), error, errorSince);
        if (was != null) {
            current = null;
            notifyListeners();
        }
        return was != null;
    }

    private void notifyListeners() {
        for (Listener l : listeners) {
            try {
                l.addressChanged(this);
            } catch (RuntimeException e) {
                LOG.error("{} a listener of {}'s address failed (a bug: report it with this log)", RESOLVE_BUG, host,
                        e);
            }
        }
    }

    @Override
    public String toString() {
        InetSocketAddress c = current;
        return host + ":" + port + (followsDns ? " (" + (c == null ? "no address" : c.getAddress().getHostAddress())
                + ")" : "");
    }
}
