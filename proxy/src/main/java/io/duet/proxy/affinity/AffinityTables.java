package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.duet.config.AffinityKey;
import io.duet.config.Pool;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.tls.KeyVault;
import io.duet.tls.TlsMaterialException;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live affinity state of every pool, kept across reloads: a pool keeps its table (and so its sticky clients)
 * while its name, mode and table settings stay the same; changing them starts an empty table. Insert cookies need no
 * state to route (the cookie carries the server id, signed with the document's key), so a cookie issued by one node
 * of a pair, or before a reload or restart, leads to the same server. The key may be sealed in the document (as the
 * node commits it): it is opened with the node's data key, the same on every proxy of a cluster, so the bytes that
 * sign (and the cookies) do not change when the key is sealed.
 *
 * <p>Threads: {@link #forPool} and {@link #retainOnly} are called by the single reload thread;
 * {@link #stickyClients} by any thread off the I/O threads.
 */
public final class AffinityTables {
    /** What decides whether a table can be kept: everything but the cookie attributes and the key. */
    private record TableKey(String mode, String name, long timeoutMs, int maxEntries) {
    }

    private record Live(TableKey key, StickyTable table, PoolAffinity current) {
    }

    private final Map<String, Live> pools = new ConcurrentHashMap<>();
    private final KeyVault keys;

    /** @param keys the node's data key, to open sealed signing keys; null: only keys in clear are usable */
    public AffinityTables(KeyVault keys) {
        this.keys = keys;
    }

    /** The affinity of a compiled pool, or {@code null} when the pool has none. Reload thread. */
    public PoolAffinity forPool(Pool spec, BackendPool pool) {
        Affinity a = spec.affinity();
        if (a == null) {
            pools.remove(spec.name());
            return null;
        }
        TableKey key = tableKey(a);
        Live old = pools.get(spec.name());
        StickyTable table = old != null && old.key().equals(key) ? old.table()
                : new StickyTable(key.timeoutMs(), key.maxEntries());
        PoolAffinity affinity = new PoolAffinity(pool, a.mode(), stickiness(a, spec.name(), pool, table, keys));
        pools.put(spec.name(), new Live(key, table, affinity));
        return affinity;
    }

    /** Forgets the pools that are not in {@code names}. Reload thread. */
    public void retainOnly(Collection<String> names) {
        Set<String> keep = new HashSet<>(names);
        pools.keySet().retainAll(keep);
    }

    /**
     * Sticky clients per server id of a pool (see {@link PoolAffinity#stickyClients()}); empty when the pool does not
     * exist or has no affinity. Off the I/O threads.
     */
    public Optional<Map<String, Integer>> stickyClients(String pool) {
        Live live = pools.get(pool);
        return live == null ? Optional.empty() : Optional.of(live.current().stickyClients());
    }

    private static TableKey tableKey(Affinity a) {
        switch (a.mode()) {
            case Affinity.COOKIE:
                return new TableKey(a.mode(), a.cookie().name(), InsertCookie.recentWindowMs(a.cookie()),
                        Affinity.DEFAULT_MAX_ENTRIES);
            case Affinity.LEARN:
                return new TableKey(a.mode(), a.learn().name(), a.learn().timeoutMs(), a.learn().maxEntries());
            case Affinity.SOURCE:
                return new TableKey(a.mode(), "", a.source().timeoutMs(), a.source().maxEntries());
            case Affinity.HEADER:
                return new TableKey(a.mode(), a.header().name().toLowerCase(java.util.Locale.ROOT),
                        a.header().timeoutMs(), a.header().maxEntries());
            default:
                throw new IllegalArgumentException("unknown affinity mode '" + a.mode() + "' (known: " + Affinity.MODES + ")");
        }
    }

    private static Stickiness stickiness(Affinity a, String poolName, BackendPool pool, StickyTable table,
                                         KeyVault keys) {
        switch (a.mode()) {
            case Affinity.COOKIE: {
                byte[] key = signingKey(a.signingKey(), poolName, keys);
                if (key == null || key.length < AffinityKey.MIN_BYTES) {
                    throw new IllegalArgumentException("pool '" + poolName + "': affinity signingKey is missing or "
                            + "shorter than " + AffinityKey.MIN_BYTES + " bytes");
                }
                return new InsertCookie(a.cookie(), new CookieSeal(key, poolName), table);
            }
            case Affinity.LEARN: {
                Set<String> ids = new HashSet<>();
                for (BackendServer s : pool.servers()) {
                    ids.add(s.id());
                }
                return new LearnedCookie(a.learn(), ids, table);
            }
            case Affinity.SOURCE:
                return new TableKeyed(null, table);
            default:
                return new TableKeyed(a.header().name(), table);
        }
    }

    /**
     * The key bytes: opened with the data key when sealed, decoded from base64 otherwise.
     *
     * @throws IllegalArgumentException a sealed key without a data key, or one that does not open (the message has
     *                                  the DUET-TLS reason); the revision is then not applied
     */
    private static byte[] signingKey(String text, String poolName, KeyVault keys) {
        if (!AffinityKey.isSealed(text)) {
            return AffinityKey.decode(text);
        }
        if (keys == null) {
            throw new IllegalArgumentException("pool '" + poolName + "': the affinity signingKey is sealed, and this "
                    + "data plane has no data key to open it");
        }
        try {
            return keys.openSecret(text);
        } catch (TlsMaterialException e) {
            throw new IllegalArgumentException("pool '" + poolName + "': the affinity signingKey does not open: "
                    + e.getMessage(), e);
        }
    }
}
