package io.duet.proxy.affinity;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded table of bindings, key (client address, header value, session id, cookie nonce) to server id, each
 * forgotten after {@code timeoutMs} without use. Kept across reloads while its pool's affinity settings stay the same.
 *
 * <p>Bounds: at most {@code maxEntries} (plus at most one per thread inserting at the same moment). An insert into a
 * full table samples the next {@value #SAMPLE} entries of a cursor that walks the table round and round (a clock, so
 * every entry is met in turn, not just the first buckets), drops the expired ones among them, or, when none is
 * expired, the least recently used of the sample (sampled LRU, as Redis does; O(sample), no global ordering). The
 * cursor is handed between threads through an atomic reference, never shared: a thread that finds it taken samples
 * from the start. Expired entries are also dropped when a lookup meets them and by {@link #countByServer}. A client
 * whose binding was dropped gets a fresh pick.
 *
 * <p>Threads: lookups and inserts run on I/O threads; they are ConcurrentHashMap operations and never block on I/O.
 * {@link #countByServer} walks the table (admin threads).
 */
final class StickyTable {
    static final int SAMPLE = 32;

    private static final class Binding {
        final String server;
        volatile long seenMs;

        Binding(String server, long seenMs) {
            this.server = server;
            this.seenMs = seenMs;
        }
    }

    private final ConcurrentHashMap<String, Binding> map = new ConcurrentHashMap<>();
    private final AtomicReference<Iterator<Map.Entry<String, Binding>>> cursor = new AtomicReference<>();
    private final long timeoutMs;
    private final int maxEntries;

    StickyTable(long timeoutMs, int maxEntries) {
        this.timeoutMs = timeoutMs;
        this.maxEntries = maxEntries;
    }

    /** The server bound to {@code key}, refreshing its idle clock; {@code null} when none or expired. */
    String lookup(String key, long nowMs) {
        Binding b = map.get(key);
        if (b == null) {
            return null;
        }
        if (nowMs - b.seenMs > timeoutMs) {
            map.remove(key, b);
            return null;
        }
        b.seenMs = nowMs;
        return b.server;
    }

    /** Binds {@code key} to {@code server} (or refreshes the same binding). */
    void bind(String key, String server, long nowMs) {
        Binding b = map.get(key);
        if (b != null && b.server.equals(server)) {
            b.seenMs = nowMs;
            return;
        }
        if (b == null && map.size() >= maxEntries) {
            evict(nowMs);
        }
        map.put(key, new Binding(server, nowMs));
    }

    void remove(String key) {
        map.remove(key);
    }

    private void evict(long nowMs) {
        Iterator<Map.Entry<String, Binding>> it = cursor.getAndSet(null);
        if (it == null) {
            it = map.entrySet().iterator();
        }
        Map.Entry<String, Binding> oldest = null;
        boolean dropped = false;
        for (int i = 0; i < SAMPLE; i++) {
            if (!it.hasNext()) {
                it = map.entrySet().iterator(); // round again
                if (!it.hasNext()) {
                    break;
                }
            }
            Map.Entry<String, Binding> e = it.next();
            if (nowMs - e.getValue().seenMs > timeoutMs) {
                map.remove(e.getKey(), e.getValue());
                dropped = true;
            } else if (oldest == null || e.getValue().seenMs < oldest.getValue().seenMs) {
                oldest = e;
            }
        }
        if (!dropped && oldest != null) {
            map.remove(oldest.getKey(), oldest.getValue());
        }
        cursor.set(it);
    }

    /** Live bindings per server id, dropping expired ones on the way. O(size); not for I/O threads. */
    Map<String, Integer> countByServer(long nowMs) {
        Map<String, Integer> counts = new HashMap<>();
        Iterator<Map.Entry<String, Binding>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Binding> e = it.next();
            if (nowMs - e.getValue().seenMs > timeoutMs) {
                it.remove();
            } else {
                counts.merge(e.getValue().server, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Entries, expired ones included until met. */
    int size() {
        return map.size();
    }
}
