package io.duet.proxy.metrics;

import com.codahale.metrics.Clock;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Meter that costs one {@link LongAdder} add per {@link #mark()}: rates are computed when read (see
 * {@link LazyRateMeter}). {@code mark} is for any thread, never blocks, allocates nothing.
 */
final class CountingMeter extends LazyRateMeter {
    private final LongAdder count = new LongAdder();

    CountingMeter() {
        this(Clock.defaultClock());
    }

    CountingMeter(Clock clock) {
        super(clock);
    }

    @Override
    public void mark() {
        count.increment();
    }

    @Override
    public void mark(long n) {
        count.add(n);
    }

    @Override
    public long getCount() {
        return count.sum();
    }
}
