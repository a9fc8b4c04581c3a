package io.duet.proxy.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The recent access records, for a live tail (the admin UI's "Live log", HAProxy users' {@code show sess} and log
 * tail): a ring of the last {@link #capacity} records, each with a sequence number. It is filled only while someone
 * watches: {@link #tail} marks the tap watched for {@link #WATCH_MILLIS}; when nobody has asked for that long,
 * {@link #watched} is false and the request path builds no record for it, so an unwatched tap costs one volatile read
 * per request.
 *
 * <p>{@link #offer} is called by I/O threads and never blocks (one atomic increment and one array store); a reader
 * racing with writers may miss a record being overwritten, never sees a torn one (records are immutable). Any thread.
 */
public final class AccessTap {
    /** How long one {@link #tail} keeps the tap filling. */
    public static final long WATCH_MILLIS = 60_000;
    /** The records kept by default. */
    public static final int DEFAULT_CAPACITY = 1000;

    /** A record and its sequence number (1 for the first offered). */
    public record Entry(long seq, AccessRecord record) {
    }

    /** What {@link #tail} returns: the matching entries after the sequence asked for, and the newest sequence. */
    public record Tail(List<Entry> entries, long lastSeq, boolean missed) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final AtomicLong seq = new AtomicLong();
    private final LongSupplier clockMillis;
    private volatile long watchedUntil;

    public AccessTap(int capacity, LongSupplier clockMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 or more)");
        }
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clockMillis = clockMillis;
    }

    public int capacity() {
        return ring.length();
    }

    /** True while someone has asked for a tail within {@link #WATCH_MILLIS}. I/O thread; never blocks. */
    public boolean watched() {
        return watchedUntil - clockMillis.getAsLong() > 0;
    }

    /** Keeps {@code r} (the oldest record makes room). I/O thread; never blocks. */
    public void offer(AccessRecord r) {
        long s = seq.incrementAndGet();
        ring.set((int) ((s - 1) % ring.length()), new Entry(s, r));
    }

    /**
     * The kept records after {@code sinceSeq} that {@code filter} accepts, oldest first, at most {@code max} (the
     * newest ones); marks the tap watched. {@code missed}: records after {@code sinceSeq} were already overwritten.
     */
    public Tail tail(long sinceSeq, Predicate<AccessRecord> filter, int max) {
        watchedUntil = clockMillis.getAsLong() + WATCH_MILLIS;
        long last = seq.get();
        int n = ring.length();
        long from = Math.max(sinceSeq + 1, last - n + 1);
        List<Entry> out = new ArrayList<>();
        for (long s = from; s <= last; s++) {
            Entry e = ring.get((int) ((s - 1) % n));
            if (e != null && e.seq() == s && filter.test(e.record())) {
                out.add(e);
            }
        }
        List<Entry> kept = out.size() > max ? List.copyOf(out.subList(out.size() - max, out.size())) : out;
        return new Tail(kept, last, sinceSeq < last - n);
    }
}
