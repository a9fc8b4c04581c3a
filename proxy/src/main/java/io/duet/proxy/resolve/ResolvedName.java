package io.duet.proxy.resolve;

import io.duet.config.Resolve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import static io.duet.proxy.message.ProxyMessage.ADDRESSES_OVER_MAX;
import static io.duet.proxy.message.ProxyMessage.ADDRESS_CHANGED;
import static io.duet.proxy.message.ProxyMessage.ADDRESS_DROPPED;
import static io.duet.proxy.message.ProxyMessage.ADDRESS_FOUND;
import static io.duet.proxy.message.ProxyMessage.ADDRESS_LEFT;
import static io.duet.proxy.message.ProxyMessage.LOOKUP_FAILED;
import static io.duet.proxy.message.ProxyMessage.NEVER_RESOLVED;
import static io.duet.proxy.message.ProxyMessage.RESOLVES_AGAIN;
import static io.duet.proxy.message.ProxyMessage.RESOLVE_BUG;

/**
 * One server of the document given by host name, and the addresses its name gives it: one {@link ServerAddress} per
 * server it expands to ({@code resolve.maxAddresses}; one when that is 1). Each lookup assigns the answer's addresses
 * to them:
 * <ul>
 *   <li>an address still in the answer stays with its server (a rotating DNS answer moves nothing);</li>
 *   <li>new addresses take the servers without one, lowest number first; with one server the answer's first address,
 *       with several in numeric order, so two nodes given the same answer name the same address {@code api#1};</li>
 *   <li>an address that left the answer leaves its server, which has none until the answer has a new one;</li>
 *   <li>with {@code prefer}, addresses of the other family are used only when the answer has none of that family;</li>
 *   <li>a failed lookup keeps every address for {@code holdOnFailureMs} after the first failure in a row (checked at
 *       each lookup), then drops them.</li>
 * </ul>
 * Every change is logged with its id ({@code DUET-PROXY-0960..0967}).
 *
 * <p>Threads: {@link #refresh} runs on a resolver thread, one at a time per name (the first lookup, then a
 * fixed-delay schedule); it blocks for the lookup. State is guarded by this object's monitor.
 */
final class ResolvedName {
    private static final Logger LOG = LoggerFactory.getLogger(ResolvedName.class);

    private final String pool;
    private final String server;
    private final String host;
    private final Resolve settings;
    private final HostResolver resolver;
    private final Clock clock;
    private final ServerAddress[] slots;
    private final List<ServerAddress> slotList;
    /** Guarded by this. */
    private Instant failingSince;
    private boolean closed;
    private int unusedReported;
    private ScheduledFuture<?> task;

    ResolvedName(String pool, String server, String host, int port, Resolve settings, HostResolver resolver,
                 Clock clock) {
        this.pool = pool;
        this.server = server;
        this.host = host;
        this.settings = settings;
        this.resolver = resolver;
        this.clock = clock;
        this.slots = new ServerAddress[settings.maxAddresses()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = ServerAddress.named(host, port);
        }
        this.slotList = List.of(slots);
    }

    /** The addresses of the servers this name expands to, in order ({@code id#1} first). */
    List<ServerAddress> slots() {
        return slotList;
    }

    Resolve settings() {
        return settings;
    }

    /** Looks the name up once and applies the answer. Resolver thread; blocks for the lookup; never throws. */
    void refresh() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        List<InetAddress> answer = null;
        String error;
        try {
            answer = resolver.lookup(host);
            error = answer.isEmpty() ? host + ": no address" : null;
        } catch (UnknownHostException e) {
            error = e.getMessage() == null ? "unknown host " + host : e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("{} pool '{}' server '{}': looking up {} failed unexpectedly (a bug: report it "
                    + "with this log); counted as a failed lookup", RESOLVE_BUG, pool, server, host, e);
            error = e.toString();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (error == null) {
                answered(answer);
            } else {
                failed(error);
            }
        }
    }

    private void answered(List<InetAddress> all) {
        Instant now = clock.instant();
        if (failingSince != null) {
            LOG.info("{} pool '{}' server '{}': {} resolves again after {} s of failed lookups", RESOLVES_AGAIN, pool,
                    server, host, Duration.between(failingSince, now).toSeconds());
            failingSince = null;
        }
        List<InetAddress> usable = preferred(all, settings.prefer());
        InetAddress[] next = new InetAddress[slots.length];
        Set<InetAddress> placed = new LinkedHashSet<>();
        for (int i = 0; i < slots.length; i++) {
            InetSocketAddress cur = slots[i].current();
            if (cur != null && usable.contains(cur.getAddress()) && placed.add(cur.getAddress())) {
                next[i] = cur.getAddress();
            }
        }
        List<InetAddress> fresh = new ArrayList<>();
        for (InetAddress a : usable) {
            if (!placed.contains(a)) {
                fresh.add(a);
            }
        }
        if (slots.length > 1) {
            fresh.sort(NUMERIC);
        }
        int f = 0;
        for (int i = 0; i < slots.length && f < fresh.size(); i++) {
            if (next[i] == null) {
                next[i] = fresh.get(f++);
            }
        }
        int unused = fresh.size() - f;
        if (unused != unusedReported) {
            unusedReported = unused;
            if (unused > 0) {
                LOG.warn("{} pool '{}' server '{}': {} has {} addresses, maxAddresses is {}: {} not used "
                        + "({})", ADDRESSES_OVER_MAX, pool, server, host, usable.size(), slots.length, unused,
                        names(fresh.subList(f, fresh.size())));
            }
        }
        for (int i = 0; i < slots.length; i++) {
            ServerAddress slot = slots[i];
            InetSocketAddress was = slot.current();
            if (next[i] != null) {
                if (slot.resolved(next[i], now)) {
                    if (was == null) {
                        LOG.info("{} pool '{}' server '{}': {} now {} (had no address)", ADDRESS_FOUND, pool, id(i),
                                host, next[i].getHostAddress());
                    } else {
                        LOG.info("{} pool '{}' server '{}': {} now {} (was {}); connections to {} drain",
                                ADDRESS_CHANGED,
                                pool, id(i), host, next[i].getHostAddress(), was.getAddress().getHostAddress(),
                                was.getAddress().getHostAddress());
                    }
                }
            } else if (slot.cleared(now, null, null)) {
                LOG.info("{} pool '{}' server '{}': {} is no longer an address of {}: its connections "
                        + "drain and the server is out of service until the name has an address for it",
                        ADDRESS_LEFT, pool, id(i),
                        was.getAddress().getHostAddress(), host);
            }
        }
    }

    private void failed(String error) {
        Instant now = clock.instant();
        boolean first = failingSince == null;
        if (first) {
            failingSince = now;
        }
        List<String> kept = new ArrayList<>();
        for (ServerAddress slot : slots) {
            slot.failed(error, failingSince);
            InetSocketAddress a = slot.current();
            if (a != null) {
                kept.add(a.getAddress().getHostAddress());
            }
        }
        long heldMs = Duration.between(failingSince, now).toMillis();
        if (kept.isEmpty()) {
            if (first) {
                LOG.warn("{} pool '{}' server '{}': {} does not resolve ({}); the server is out of "
                        + "service until it does (looked up every {} ms)", NEVER_RESOLVED, pool, server, host, error,
                        settings.intervalMs());
            }
            return;
        }
        if (heldMs >= settings.holdOnFailureMs()) {
            for (ServerAddress slot : slots) {
                slot.cleared(now, error, failingSince);
            }
            LOG.error("{} pool '{}' server '{}': {} has not resolved for {} s (holdOnFailureMs {}): "
                    + "dropping {}; the server is out of service until a lookup succeeds ({})",
                    ADDRESS_DROPPED, pool, server, host,
                    heldMs / 1000, settings.holdOnFailureMs(), String.join(", ", kept), error);
        } else if (first) {
            LOG.warn("{} pool '{}' server '{}': cannot resolve {} ({}); keeping {} until {} "
                    + "(holdOnFailureMs {}), looking it up again every {} ms", LOOKUP_FAILED, pool, server, host, error,
                    String.join(", ", kept), failingSince.plusMillis(settings.holdOnFailureMs())
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    settings.holdOnFailureMs(), settings.intervalMs());
        }
    }

    /** The id of the server slot {@code i} stands for: the document's id, or {@code id#n} when the name expands. */
    String id(int i) {
        return slots.length == 1 ? server : Resolve.slotId(server, i + 1);
    }

    /** Starts the schedule after the first lookup. Resolver thread. */
    synchronized void scheduled(ScheduledFuture<?> f) {
        if (closed) {
            f.cancel(false);
        } else {
            task = f;
        }
    }

    /** Stops looking the name up. Any thread; idempotent. The addresses stay as they are. */
    synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    synchronized boolean closed() {
        return closed;
    }

    /** The answer without duplicates; only the preferred family when it has any of that family. */
    static List<InetAddress> preferred(List<InetAddress> all, String prefer) {
        Class<? extends InetAddress> family = Resolve.IPV6.equals(prefer) ? Inet6Address.class : Inet4Address.class;
        Set<InetAddress> mine = new LinkedHashSet<>();
        Set<InetAddress> any = new LinkedHashSet<>();
        for (InetAddress a : all) {
            any.add(a);
            if (family.isInstance(a)) {
                mine.add(a);
            }
        }
        return List.copyOf(mine.isEmpty() ? any : mine);
    }

    /** IPv4 before IPv6, then by the address bytes as unsigned numbers. */
    static final Comparator<InetAddress> NUMERIC = Comparator.<InetAddress>comparingInt(a -> a.getAddress().length)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress()));

    private static String names(List<InetAddress> addresses) {
        List<String> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            out.add(a.getHostAddress());
        }
        return String.join(", ", out);
    }

    @Override
    public String toString() {
        return "pool '" + pool + "' server '" + server + "' (" + host + ")";
    }
}
