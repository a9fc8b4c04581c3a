package io.duet.proxy.metrics;

import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.UniformSnapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A sample of the most recent values, cheap enough for every request: the values are written round-robin into a
 * few fixed rings ("stripes"), the stripe chosen by the recording thread, so each I/O thread mostly writes its own
 * ring and the snapshot holds roughly the last {@code samplesPerStripe} values recorded by each thread.
 *
 * <p>An update is a thread id read, a plain index bump and an opaque array store: no clock read, no random draw,
 * no CAS, no allocation. Two threads sharing a stripe may overwrite each other's value: a lost sample, never a
 * torn or invented one. Unlike an exponentially decaying sample, a ring whose thread goes idle keeps its values
 * until that thread records again.
 *
 * <p>Memory: {@code stripes * samplesPerStripe * 8} bytes, allocated up front (32 KiB with the defaults on a
 * 4-core machine), less than the 1028 skip-list entries of {@code LockFreeExponentiallyDecayingReservoir}.
 *
 * <p>Threads: {@link #update} from any thread, never blocks; {@link #getSnapshot} from any thread, allocates and
 * sorts (management threads).
 */
final class RecentSamplesReservoir implements Reservoir {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Stripe.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    static final int DEFAULT_SAMPLES_PER_STRIPE = 1024;

    private static final class Stripe {
        final long[] values;
        /** The number of updates so far; the next slot is {@code next & mask}. Racy by design; see NEXT. */
        long next;

        Stripe(int size) {
            values = new long[size];
        }
    }

    private final Stripe[] stripes;
    private final int stripeMask;
    private final int slotMask;

    /** One stripe per processor (rounded up to a power of two, at most 8), 1024 samples each. */
    RecentSamplesReservoir() {
        this(Math.min(8, Runtime.getRuntime().availableProcessors()), DEFAULT_SAMPLES_PER_STRIPE);
    }

    /**
     * @param stripes          rounded up to a power of two
     * @param samplesPerStripe rounded up to a power of two
     */
    RecentSamplesReservoir(int stripes, int samplesPerStripe) {
        int s = powerOfTwoAtLeast(stripes);
        this.stripes = new Stripe[s];
        int size = powerOfTwoAtLeast(samplesPerStripe);
        for (int i = 0; i < s; i++) {
            this.stripes[i] = new Stripe(size);
        }
        this.stripeMask = s - 1;
        this.slotMask = size - 1;
    }

    private static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    @Override
    public int size() {
        int n = 0;
        for (Stripe s : stripes) {
            n += (int) Math.min((long) NEXT.getAcquire(s), s.values.length);
        }
        return n;
    }

    @Override
    public void update(long value) {
        Stripe s = stripes[(int) Thread.currentThread().getId() & stripeMask];
        long i = (long) NEXT.getOpaque(s);
        SLOT.setOpaque(s.values, (int) i & slotMask, value);
        // Release, no CAS (free on x86): a racing writer on the same stripe may reuse the slot, never tear it.
        NEXT.setRelease(s, i + 1);
    }

    @Override
    public Snapshot getSnapshot() {
        long[] all = new long[size()];
        int n = 0;
        for (Stripe s : stripes) {
            int filled = (int) Math.min((long) NEXT.getAcquire(s), s.values.length);
            for (int i = 0; i < filled && n < all.length; i++) {
                all[n++] = (long) SLOT.getOpaque(s.values, i);
            }
        }
        return new UniformSnapshot(n == all.length ? all : Arrays.copyOf(all, n));
    }

    /** The length of a cursor for {@link #valuesSince}: one position per stripe. */
    int stripes() {
        return stripes.length;
    }

    /**
     * Copies into {@code into} the values recorded since the cursor (in no order) and moves the cursor to now:
     * from each stripe its most recent ones, at most {@code into.length / stripes()} of them (and at most the
     * ring's size). A value overwritten while this reads is a lost sample, never an invented one. For one reading
     * thread at a time (the history sampler); allocates nothing. Costs the request path nothing: it reads the
     * positions {@link #update} keeps anyway.
     *
     * @param cursor {@link #stripes()} positions, all 0 at first; updated in place
     * @return how many values were copied
     */
    int valuesSince(long[] cursor, long[] into) {
        int share = into.length / stripes.length;
        int n = 0;
        for (int i = 0; i < stripes.length; i++) {
            Stripe s = stripes[i];
            long until = (long) NEXT.getAcquire(s);
            long from = Math.max(cursor[i], until - Math.min(share, s.values.length));
            for (long k = from; k < until; k++) {
                into[n++] = (long) SLOT.getOpaque(s.values, (int) k & slotMask);
            }
            cursor[i] = until;
        }
        return n;
    }
}
