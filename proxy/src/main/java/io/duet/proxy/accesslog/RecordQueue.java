package io.duet.proxy.accesslog;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bounded, lock-free queue of records for many producers (the I/O threads) and one consumer (the writer thread).
 *
 * <p>The algorithm is Dmitry Vyukov's bounded queue: each slot carries a sequence number that says whose turn it
 * is; a producer claims a ticket with one compare-and-set on the tail and publishes its record with an ordered store
 * of the slot's sequence; the consumer reads slots in ticket order. {@link #offer} takes no lock, never waits for
 * the consumer and allocates nothing; a full queue answers at once. Records of one producer come out in the order it
 * offered them. The capacity is exact (any positive number, not rounded to a power of two).
 *
 * <p>Hand-written rather than taken from a library: it is this one algorithm (some 60 lines) with one extra the
 * writer needs (the size seen by the producer, for the high-water wake-up), and it uses only
 * {@code java.util.concurrent.atomic}, not {@code sun.misc.Unsafe}, whose memory-access methods newer JDKs warn
 * about and will remove.
 */
final class RecordQueue {
    private final int capacity;
    private final AtomicReferenceArray<AccessRecord> slots;
    private final AtomicLongArray sequence;
    private final PaddedCounter tail = new PaddedCounter();
    /** Next ticket to consume; written by the consumer only (an ordered store per record taken). */
    private final PaddedCounter head = new PaddedCounter();

    RecordQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.sequence = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequence.set(i, i);
        }
    }

    int capacity() {
        return capacity;
    }

    /**
     * Adds a record. Any thread; never blocks. Returns the number of records queued just after this one went in
     * (at least 1; an upper estimate, since the consumer may have taken some meanwhile), or -1 when the queue is full.
     */
    int offer(AccessRecord record) {
        long t = tail.get();
        for (;;) {
            int i = (int) (t % capacity);
            long seq = sequence.get(i);
            if (seq == t) {
                if (tail.compareAndSet(t, t + 1)) {
                    slots.lazySet(i, record);
                    sequence.lazySet(i, t + 1); // publishes the record (release after the slot's store)
                    return (int) Math.min(Integer.MAX_VALUE, t + 1 - head.get());
                }
                t = tail.get();
            } else if (seq < t) {
                return -1; // the slot still holds the record of one lap ago: full
            } else {
                t = tail.get(); // another producer took this ticket
            }
        }
    }

    /**
     * Hands up to {@code limit} queued records to {@code sink}, oldest first, and returns how many. Consumer thread
     * only. Stops early at a slot whose producer has claimed it but not yet published its record.
     */
    int drain(Consumer<AccessRecord> sink, int limit) {
        long h = head.get();
        int n = 0;
        while (n < limit) {
            int i = (int) (h % capacity);
            if (sequence.get(i) != h + 1) {
                break;
            }
            AccessRecord r = slots.get(i);
            slots.lazySet(i, null);
            sequence.lazySet(i, h + capacity); // frees the slot for the ticket one lap later
            h++;
            head.lazySet(h);
            n++;
            sink.accept(r);
        }
        return n;
    }

    /** Records queued now (an estimate while producers run). Any thread. */
    int size() {
        return (int) Math.max(0, Math.min(capacity, tail.get() - head.get()));
    }

    /** An AtomicLong alone on its cache line, so producers on the tail and the consumer on the head do not collide. */
    @SuppressWarnings("unused")
    private static final class PaddedCounter extends AtomicLong {
        private long p1, p2, p3, p4, p5, p6, p7;
    }
}
