package io.duet.proxy.edge;

import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections accepted on addresses that can move to another node (the VIPs), so a planned move can drain them
 * first: while an address drains, every response on it says {@code Connection: close}, keep-alive connections
 * waiting for their next request are closed, and the drain ends when no connection on the address is left (or at
 * its deadline, when the rest is cut). The node holds back new connections meanwhile (the cluster's job), so the
 * address empties and the move loses no request in flight.
 *
 * <p>Only connections to tracked addresses are registered (one set lookup per accepted connection); requests pay
 * one volatile read, and only on tracked connections. Thread-safety: any thread; connections are closed on their
 * own I/O thread.
 */
public final class AddressDrains {
    /** What a drain did. */
    public record Result(String address, int connections, int cut, long millis) {
    }

    /** One registered connection: its raw connection and, for HTTP/1, its head guard (null for HTTP/2). */
    static final class Entry {
        final StreamConnection raw;
        final Tracker tracker;
        volatile HeadGuardConduit guard;
        volatile StreamConnection wrapper;

        Entry(StreamConnection raw, Tracker tracker) {
            this.raw = raw;
            this.tracker = tracker;
        }

        boolean draining() {
            return tracker.draining;
        }
    }

    static final class Tracker {
        final Set<Entry> entries = ConcurrentHashMap.newKeySet();
        volatile boolean draining;
    }

    private volatile Set<InetAddress> tracked = Set.of();
    private final Map<InetAddress, Tracker> trackers = new ConcurrentHashMap<>();
    /** Raw and TLS-wrapped connections to their entry, for the HTTP/1 layer to find its entry. */
    private final Map<StreamConnection, Entry> byConnection = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    /** The addresses whose connections are registered from now on (the configured VIPs). */
    public void track(Set<InetAddress> addresses) {
        tracked = Set.copyOf(addresses);
    }

    /** A connection was accepted; registers it when its local address is tracked. I/O thread. */
    Entry opened(StreamConnection raw) {
        Set<InetAddress> t = tracked;
        if (t.isEmpty()) {
            return null;
        }
        InetSocketAddress local = raw.getLocalAddress(InetSocketAddress.class);
        if (local == null || !t.contains(local.getAddress())) {
            return null;
        }
        Tracker tracker = trackers.computeIfAbsent(local.getAddress(), a -> new Tracker());
        Entry e = new Entry(raw, tracker);
        tracker.entries.add(e);
        byConnection.put(raw, e);
        return e;
    }

    /** The TLS wrapper of a registered connection: the HTTP/1 layer sees only the wrapper. */
    void wrapped(Entry e, StreamConnection wrapper) {
        if (e != null) {
            e.wrapper = wrapper;
            byConnection.put(wrapper, e);
        }
    }

    /** The entry of a connection (raw or wrapper), or null when its address is not tracked. */
    Entry entryOf(StreamConnection c) {
        return byConnection.isEmpty() ? null : byConnection.get(c);
    }

    /** The connection closed. */
    void closed(Entry e) {
        e.tracker.entries.remove(e);
        byConnection.remove(e.raw);
        StreamConnection w = e.wrapper;
        if (w != null) {
            byConnection.remove(w);
        }
    }

    /** Connections registered on an address now (for tests and status). */
    public int connections(String address) {
        Tracker t = trackers.get(parse(address));
        return t == null ? 0 : t.entries.size();
    }

    /**
     * Drains an address: responses close their connections, idle keep-alive connections are closed now, and the
     * future completes when none is left, or after {@code maxMs} with the rest cut. Any thread; the caller holds
     * back new connections to the address meanwhile.
     */
    public CompletableFuture<Result> drain(String address, long maxMs) {
        InetAddress a = parse(address);
        Tracker t = trackers.computeIfAbsent(a, x -> new Tracker());
        t.draining = true;
        long start = System.nanoTime();
        int atStart = t.entries.size();
        for (Entry e : t.entries) {
            HeadGuardConduit g = e.guard;
            if (g != null) {
                e.raw.getIoThread().execute(() -> {
                    if (g.idleAfterARequest()) {
                        IoUtils.safeClose(e.raw);
                    }
                });
            }
        }
        CompletableFuture<Result> done = new CompletableFuture<>();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (t.entries.isEmpty()) {
                done.complete(new Result(address, atStart, 0, ms));
            } else if (ms >= maxMs) {
                int cut = 0;
                for (Entry e : t.entries) {
                    cut++;
                    e.raw.getIoThread().execute(() -> IoUtils.safeClose(e.raw));
                }
                done.complete(new Result(address, atStart, cut, ms));
            } else {
                timer().schedule(check[0], 5, TimeUnit.MILLISECONDS);
            }
        };
        timer().execute(check[0]);
        return done;
    }

    /** Ends a drain without a move (the address stays here): connections keep alive again. */
    public void undrain(String address) {
        Tracker t = trackers.get(parse(address));
        if (t != null) {
            t.draining = false;
        }
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService s = timer;
        if (s == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread th = new Thread(r, "duet-drain");
                        th.setDaemon(true);
                        return th;
                    });
                }
                s = timer;
            }
        }
        return s;
    }

    /** Stops the drain timer. */
    public void close() {
        ScheduledExecutorService s = timer;
        if (s != null) {
            s.shutdownNow();
        }
    }

    private static InetAddress parse(String address) {
        try {
            return InetAddress.getByName(address); // an IP literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }
}
