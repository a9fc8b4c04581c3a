package io.duet.proxy.resolve;

import io.duet.config.CidrBlock;
import io.duet.config.Resolve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.duet.proxy.message.ProxyMessage.JDK_CACHES_ANSWERS;
import static io.duet.proxy.message.ProxyMessage.RESOLVE_BUG;

/**
 * Follows the host names of the document's servers: hands out their {@link ServerAddress}es and looks each name up
 * again every {@code resolve.intervalMs} on its own small pool of daemon threads ({@code duet-resolve-N}, at most
 * {@value #THREADS} lookups at a time), never on an I/O thread. A name is followed per pool, server id, name, port and
 * settings: a reload that keeps them keeps its addresses and schedule; anything else starts a new one.
 *
 * <p>Threads: {@link #addresses}, {@link #awaitFirstLookups} and {@link #retain} on the reload thread;
 * {@link #close} on any thread. Owned by {@code ConnectionPools}.
 */
public final class NameResolution implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NameResolution.class);
    /** Lookups at a time. */
    static final int THREADS = 2;
    /**
     * The longest a reload waits for the first lookups of its new names; a lookup still running then gives its servers
     * their address when it ends (until then they are out of service).
     */
    static final long FIRST_LOOKUP_WAIT_MS = 2_000;

    private record Key(String pool, String server, String host, int port, Resolve settings) {
    }

    private final HostResolver resolver;
    private final Clock clock;
    private final Map<Key, ResolvedName> names = new HashMap<>();
    private final List<Future<?>> firstLookups = new ArrayList<>();
    private ScheduledThreadPoolExecutor executor;
    private boolean cachingChecked;
    private boolean closed;

    public NameResolution(HostResolver resolver) {
        this(resolver, Clock.systemUTC());
    }

    NameResolution(HostResolver resolver, Clock clock) {
        this.resolver = resolver;
        this.clock = clock;
    }

    /** The IP address {@code host} is written as, or empty for a host name. Pure; never looks anything up. */
    public static Optional<InetAddress> literal(String host) {
        return CidrBlock.parseIpLiteral(host);
    }

    /**
     * The addresses of server {@code serverId} of pool {@code pool}, given by host name {@code host}: one per server it
     * expands to ({@code settings.maxAddresses()}). A name not followed yet is looked up at once on a resolver thread
     * (see {@link #awaitFirstLookups}), then every interval. Reload thread; does not block.
     */
    public synchronized List<ServerAddress> addresses(String pool, String serverId, String host, int port,
                                                      Resolve settings) {
        if (closed) {
            throw new IllegalStateException("name resolution is closed");
        }
        Key key = new Key(pool, serverId, host, port, settings);
        ResolvedName known = names.get(key);
        if (known != null) {
            return known.slots();
        }
        if (!cachingChecked) {
            cachingChecked = true;
            String warning = resolver.cachingWarning();
            if (warning != null) {
                LOG.warn("{} {}", JDK_CACHES_ANSWERS, warning);
            }
        }
        ResolvedName name = new ResolvedName(pool, serverId, host, port, settings, resolver, clock);
        names.put(key, name);
        ScheduledThreadPoolExecutor ex = executor();
        firstLookups.add(ex.submit(() -> {
            name.refresh();
            try {
                name.scheduled(ex.scheduleWithFixedDelay(name::refresh, settings.intervalMs(), settings.intervalMs(),
                        TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException e) {
                name.close(); // closing
            }
        }));
        return name.slots();
    }

    /**
     * Waits up to {@value #FIRST_LOOKUP_WAIT_MS} ms in all for the first lookups started since the last call, so a
     * reload publishes new names with their addresses. Reload thread; blocks at most that long.
     */
    public void awaitFirstLookups() {
        List<Future<?>> pending;
        synchronized (this) {
            pending = new ArrayList<>(firstLookups);
            firstLookups.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIRST_LOOKUP_WAIT_MS);
        for (Future<?> f : pending) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return; // the rest arrive later, through the addresses' listeners
            } catch (ExecutionException e) {
                LOG.error("{} a first lookup failed unexpectedly (a bug: report it with this log)", RESOLVE_BUG,
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops following the names none of whose addresses is in {@code inUse}. Reload thread. */
    public synchronized void retain(Set<ServerAddress> inUse) {
        names.values().removeIf(name -> {
            for (ServerAddress a : name.slots()) {
                if (inUse.contains(a)) {
                    return false;
                }
            }
            name.close();
            return true;
        });
    }

    /** Names followed now (tests). */
    synchronized int size() {
        return names.size();
    }

    private ScheduledThreadPoolExecutor executor() {
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            executor = new ScheduledThreadPoolExecutor(THREADS, r -> {
                Thread t = new Thread(r, "duet-resolve-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        return executor;
    }

    /** Stops every lookup (a running one is interrupted). Idempotent; any thread. */
    @Override
    public synchronized void close() {
        closed = true;
        names.values().forEach(ResolvedName::close);
        names.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
