package io.duet.proxy.ratelimit;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys of one rate limit and their state, in a fixed amount of memory: GCRA (the generic cell rate algorithm, a
 * token bucket kept as one number per key, its theoretical arrival time, TAT). A request of a key is allowed when
 * {@code max(TAT, now) - tolerance <= now}; allowing it moves the TAT on by the emission interval (the period over
 * the requests allowed in it). A TAT in the past is the same as no entry at all, so an expired key costs nothing to
 * forget.
 *
 * <p>Layout: open addressing over power-of-two arrays of 64-bit key hashes, TATs and this node's admissions not yet
 * reported to the peer; a key lives within {@link #PROBE} slots of its home. No key text is kept (an API key never
 * sits in the table). Eviction, when a key's window of slots is full: first an expired slot (nothing is lost), else
 * the slot whose TAT is nearest to now (the key with the least debt: forgetting it gives away the fewest requests).
 *
 * <p>Threads: any thread, lock-free (compare-and-set on the arrays), never blocks, allocates nothing. Races are
 * benign and bounded: two threads claiming slots for the same new key at once may count it in two slots until one
 * expires; a slot evicted while another thread updates it may charge one request to the newcomer.
 */
public final class LimitTable {
    /** Slots a key may live in from its home slot. */
    static final int PROBE = 16;
    private static final int RETRIES = 8;

    private final int mask;
    private final AtomicLongArray keys;
    private final AtomicLongArray tats;
    private final AtomicIntegerArray unreported;
    private final AtomicIntegerArray inFlight; // null: the limit counts no requests in flight
    private final LongAdder evictions = new LongAdder();

    /**
     * @param maxKeys the keys the table must hold without evicting a live one: the slots are the power of two at or
     *                above 4/3 of it (a load of at most 3/4 keeps probe windows from filling up early), at least
     *                {@link #PROBE}; 20 bytes a slot
     */
    LimitTable(int maxKeys) {
        this(maxKeys, false);
    }

    /** @param inFlight also count each key's requests in flight ({@link #enter}, {@link #leave}; 4 bytes a slot) */
    LimitTable(int maxKeys, boolean inFlight) {
        long want = Math.max(PROBE, (maxKeys * 4L + 2) / 3);
        int capacity = (int) Math.min(1 << 30, Long.highestOneBit(want - 1) << 1);
        mask = capacity - 1;
        keys = new AtomicLongArray(capacity);
        tats = new AtomicLongArray(capacity);
        unreported = new AtomicIntegerArray(capacity);
        this.inFlight = inFlight ? new AtomicIntegerArray(capacity) : null;
    }

    int capacity() {
        return mask + 1;
    }

    /**
     * Takes one request of key {@code hash} at time {@code now}.
     *
     * @param now       nanoseconds on the limiter's clock (positive)
     * @param interval  the emission interval, nanoseconds per request
     * @param tolerance how far ahead of now the TAT may run, nanoseconds ((burst - 1) x interval)
     * @param maxWait   the longest the request may be held (delay), 0 for none
     * @return 0: allowed now; positive: allowed after that many nanoseconds (the request is counted: hold it);
     * negative: refused, allowed again in {@code -result} nanoseconds (not counted)
     */
    long acquire(long hash, long now, long interval, long tolerance, long maxWait) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            int s = slot(hash, now);
            if (s < 0) {
                return -1_000_000_000L; // every slot of the key's window holds requests in flight: refused for 1 s
            }
            long stored = tats.get(s);
            long tat = Math.max(stored, now);
            long wait = tat - tolerance - now;
            if (wait > maxWait) {
                return -Math.max(1, wait);
            }
            if (tats.compareAndSet(s, stored, tat + interval) && keys.get(s) == hash) {
                unreported.incrementAndGet(s);
                return Math.max(0, wait);
            }
        }
        return 0; // contended beyond reason: let it through rather than spin on an I/O thread
    }

    /**
     * The pair's seam: {@code admitted} requests of key {@code hash} the peer reported, charged to the key as if
     * they had come here (its TAT moves on by {@code admitted} intervals). Any thread.
     */
    void charge(long hash, int admitted, long now, long interval) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            int s = slot(hash, now);
            if (s < 0) {
                return;
            }
            long stored = tats.get(s);
            if (tats.compareAndSet(s, stored, Math.max(stored, now) + admitted * interval) && keys.get(s) == hash) {
                return;
            }
        }
    }

    /**
     * One more request of key {@code hash} in flight, unless it has {@code max} already. A slot with requests in
     * flight is never evicted, so the count cannot be lost. Any thread.
     *
     * @return the slot to pass to {@link #leave} when the request ends, or -1: refused (at {@code max}, or every slot
     * of the key's window holds requests in flight)
     */
    int enter(long hash, long now, int max) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            int s = slot(hash, now);
            if (s < 0) {
                return -1;
            }
            int n = inFlight.get(s);
            if (n >= max) {
                return -1;
            }
            if (inFlight.compareAndSet(s, n, n + 1)) {
                if (keys.get(s) == hash) {
                    return s;
                }
                inFlight.decrementAndGet(s); // the slot changed hands meanwhile: try again
            }
        }
        return -1;
    }

    /** A request {@link #enter} let in ended. Any thread. */
    void leave(int slot) {
        inFlight.decrementAndGet(slot);
    }

    /** Requests in flight over all keys (0 when the limit counts none). Off the I/O threads. */
    long inFlight() {
        long n = 0;
        if (inFlight != null) {
            for (int s = 0; s <= mask; s++) {
                n += inFlight.get(s);
            }
        }
        return n;
    }

    /** What {@link #drainUnreported} hands out: a key and this node's admissions of it since the last drain. */
    public interface Admissions {
        void accept(long hash, int admitted);
    }

    /**
     * The pair's seam: every key with admissions since the last call, and their number (reset). Off the I/O
     * threads (walks the whole table).
     */
    void drainUnreported(Admissions out) {
        for (int s = 0; s <= mask; s++) {
            if (unreported.get(s) != 0) {
                int n = unreported.getAndSet(s, 0);
                long k = keys.get(s);
                if (n > 0 && k != 0) {
                    out.accept(k, n);
                }
            }
        }
    }

    /** Keys whose TAT is still ahead of {@code now} (the rest are as good as absent). Off the I/O threads. */
    int liveKeys(long now) {
        int n = 0;
        for (int s = 0; s <= mask; s++) {
            if (keys.get(s) != 0 && tats.get(s) > now) {
                n++;
            }
        }
        return n;
    }

    /** How far ahead of now key {@code hash}'s TAT runs (its debt), 0 when absent or expired. Any thread. */
    long debt(long hash, long now) {
        int home = (int) hash & mask;
        for (int p = 0; p < PROBE; p++) {
            int s = (home + p) & mask;
            long k = keys.get(s);
            if (k == hash) {
                return Math.max(0, tats.get(s) - now);
            }
            if (k == 0) {
                return 0;
            }
        }
        return 0;
    }

    /** Slots taken over from another key (expired, or the nearest to expiry) because a key's window was full. */
    long evictions() {
        return evictions.sum();
    }

    /**
     * The slot of {@code hash}: where it is, else the first free slot of its window, else a victim (expired first,
     * else the smallest TAT; never a slot with requests in flight). Slots are never emptied, so a key is never behind
     * a free slot of its window. -1 when every slot of the window holds requests in flight.
     */
    private int slot(long hash, long now) {
        int home = (int) hash & mask;
        while (true) {
            int victim = -1;
            long victimTat = Long.MAX_VALUE;
            for (int p = 0; p < PROBE; p++) {
                int s = (home + p) & mask;
                long k = keys.get(s);
                if (k == hash) {
                    return s;
                }
                if (k == 0) {
                    if (keys.compareAndSet(s, 0, hash)) {
                        return s;
                    }
                    if (keys.get(s) == hash) {
                        return s;
                    }
                    continue;
                }
                if (inFlight != null && inFlight.get(s) > 0) {
                    continue;
                }
                long t = tats.get(s);
                long rank = t <= now ? Long.MIN_VALUE : t;
                if (rank < victimTat) {
                    victimTat = rank;
                    victim = s;
                }
            }
            if (victim < 0) {
                if (inFlight != null) {
                    return -1;
                }
                continue; // every slot was taken by racing inserts of other keys while we looked: look again
            }
            long old = keys.get(victim);
            if (old != hash && keys.compareAndSet(victim, old, hash)) {
                tats.set(victim, 0);
                unreported.set(victim, 0);
                evictions.increment();
                return victim;
            }
        }
    }
}
