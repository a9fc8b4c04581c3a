package io.duet.proxy.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Timer;

import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Timer} for the request path: {@link #update} records into a {@link RecentSamplesReservoir}, adds to
 * the count and to an exact sum of the durations, and nothing else. A stock Timer also marks an inner Meter (clock
 * read, tick check, four adds) per update; here the Timer's rates are computed from the count when read (see
 * {@link LazyRateMeter}), so JMX still shows them.
 *
 * <p>Durations are in nanoseconds. {@link #update} from any thread, never blocks, allocates nothing; negative
 * durations are ignored, as by Timer.
 */
final class LatencyTimer extends Timer {
    private static final long[] NONE = new long[0];
    private final SummingHistogram histogram;
    private final Reservoir reservoir;

    LatencyTimer() {
        this(new RecentSamplesReservoir(), Clock.defaultClock());
    }

    LatencyTimer(Reservoir reservoir, Clock clock) {
        this(new SummingHistogram(reservoir), reservoir, clock);
    }

    private LatencyTimer(SummingHistogram histogram, Reservoir reservoir, Clock clock) {
        super(new CompletionRates(histogram, clock), histogram, clock);
        this.histogram = histogram;
        this.reservoir = reservoir;
    }

    /** A new cursor for {@link #durationsSince}: nothing read yet. */
    long[] newCursor() {
        return reservoir instanceof RecentSamplesReservoir r ? new long[r.stripes()] : NONE;
    }

    /**
     * Copies into {@code into} the durations (nanoseconds) recorded since the cursor, the most recent ones when
     * more came than fit, and moves the cursor; none for a reservoir that cannot tell (tests). One reading thread
     * at a time; allocates nothing.
     *
     * @return how many were copied
     */
    int durationsSince(long[] cursor, long[] into) {
        return reservoir instanceof RecentSamplesReservoir r && cursor.length == r.stripes()
                ? r.valuesSince(cursor, into) : 0;
    }

    /**
     * Records a duration in nanoseconds: what {@code update(nanos, NANOSECONDS)} does, minus the no-op mark of the
     * inner meter. Any thread; never blocks. Negative durations are ignored.
     */
    void updateNanos(long nanos) {
        if (nanos >= 0) {
            histogram.update(nanos);
        }
    }

    /** The exact sum of all durations recorded, in nanoseconds (the Prometheus {@code _sum}). */
    long sumNanos() {
        return histogram.sum.sum();
    }

    /** A Histogram that also keeps the exact sum of its values. */
    private static final class SummingHistogram extends Histogram {
        final LongAdder sum = new LongAdder();

        SummingHistogram(Reservoir reservoir) {
            super(reservoir);
        }

        @Override
        public void update(long value) {
            super.update(value);
            sum.add(value);
        }
    }

    /** The Timer's Meter: counts nothing itself (mark is a no-op), rates come from the histogram's count. */
    private static final class CompletionRates extends LazyRateMeter {
        private final Histogram histogram;

        CompletionRates(Histogram histogram, Clock clock) {
            super(clock);
            this.histogram = histogram;
        }

        @Override
        public void mark() {
        }

        @Override
        public void mark(long n) {
        }

        @Override
        public long getCount() {
            return histogram.getCount();
        }
    }
}
