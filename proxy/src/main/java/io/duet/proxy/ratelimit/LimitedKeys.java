package io.duet.proxy.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;

/**
 * The keys a limit refused lately, for the top keys (what HAProxy users read from {@code show table}): a fixed,
 * lossy array of {@link #SLOTS} entries picked by the key's hash. A refused key counts into its entry; a new key
 * takes the slot when the entry there has not been refused for {@link #QUIET_NANOS} (else its refusals are not
 * listed: the metrics still count them). Memory is fixed whatever the traffic.
 *
 * <p>Threads: {@link #refused} on I/O threads (lock-free; makes a label only for a key new to its slot);
 * {@link #top} off them.
 */
final class LimitedKeys {
    static final int SLOTS = 256;
    static final long QUIET_NANOS = 10_000_000_000L;

    /** One key being limited: its label (no secret in it), refusals while it held the slot, when first and last. */
    static final class Entry {
        final long hash;
        final String label;
        final long firstNanos;
        final AtomicLong refusals = new AtomicLong();
        volatile long lastNanos;

        Entry(long hash, String label, long now) {
            this.hash = hash;
            this.label = label;
            this.firstNanos = now;
            this.lastNanos = now;
        }
    }

    /** A key as the API shows it. */
    record Top(String key, long refusals, long lastRefusedAgoMs, long debtMs) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** Counts a refusal of {@code hash}; {@code label} makes its text when the key takes a slot. I/O thread. */
    void refused(long hash, long now, LongFunction<String> label) {
        int s = (int) (hash >>> 40) & (SLOTS - 1);
        Entry e = slots.get(s);
        if (e != null && e.hash == hash) {
            e.refusals.incrementAndGet();
            e.lastNanos = now;
            return;
        }
        if (e == null || now - e.lastNanos > QUIET_NANOS) {
            Entry fresh = new Entry(hash, label.apply(hash), now);
            fresh.refusals.set(1);
            slots.compareAndSet(s, e, fresh);
        }
    }

    /**
     * The keys refused within the last {@link #QUIET_NANOS}, most refusals first, at most {@code max}.
     *
     * @param debt how far ahead of now a key's bucket runs, nanoseconds (the table's view)
     */
    List<Top> top(long now, int max, java.util.function.LongUnaryOperator debt) {
        List<Entry> live = new ArrayList<>();
        for (int s = 0; s < SLOTS; s++) {
            Entry e = slots.get(s);
            if (e != null && now - e.lastNanos <= QUIET_NANOS) {
                live.add(e);
            }
        }
        live.sort(Comparator.comparingLong((Entry e) -> e.refusals.get()).reversed());
        List<Top> out = new ArrayList<>(Math.min(max, live.size()));
        for (Entry e : live.subList(0, Math.min(max, live.size()))) {
            out.add(new Top(e.label, e.refusals.get(), (now - e.lastNanos) / 1_000_000,
                    debt.applyAsLong(e.hash) / 1_000_000));
        }
        return out;
    }
}
