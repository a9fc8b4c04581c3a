package io.duet.proxy.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.EWMA;
import com.codahale.metrics.Meter;

import java.util.concurrent.TimeUnit;

/**
 * A {@link Meter} whose moving averages are computed when they are read, never when events are recorded: recording
 * is whatever the subclass does to count (one {@code LongAdder} add, or nothing when the count lives elsewhere),
 * with no clock read, no tick check and no average updates. Dropwizard's own Meter does a clock read, a CAS check
 * and four adds per mark.
 *
 * <p>Rates: on every read, the 5-second ticks elapsed since the previous read are replayed into the standard
 * Dropwizard 1/5/15-minute {@link EWMA}s, the events counted since that read being spread evenly over those ticks.
 * When reads come at least every 5 seconds the rates equal Dropwizard's; when reads are sparser, a burst between
 * two reads is averaged over the time between them. The mean rate is exact.
 *
 * <p>Threads: the counting methods of subclasses are for any thread and never block; the rate getters take this
 * object's lock (management / JMX threads only).
 */
abstract class LazyRateMeter extends Meter {
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** After this many idle ticks every average has decayed to nothing (15 min: e^-40); more replay is useless. */
    private static final long MAX_REPLAYED_TICKS = 12 * 60 * 4;

    private final Clock clock;
    private final long startTick;
    private final EWMA m1 = EWMA.oneMinuteEWMA();
    private final EWMA m5 = EWMA.fiveMinuteEWMA();
    private final EWMA m15 = EWMA.fifteenMinuteEWMA();
    private long lastTick; // guarded by this
    private long lastCount; // guarded by this

    LazyRateMeter(Clock clock) {
        super(clock);
        this.clock = clock;
        this.startTick = clock.getTick();
        this.lastTick = startTick;
    }

    /** The events counted so far; any thread. */
    @Override
    public abstract long getCount();

    @Override
    public final double getOneMinuteRate() {
        catchUp();
        return m1.getRate(TimeUnit.SECONDS);
    }

    @Override
    public final double getFiveMinuteRate() {
        catchUp();
        return m5.getRate(TimeUnit.SECONDS);
    }

    @Override
    public final double getFifteenMinuteRate() {
        catchUp();
        return m15.getRate(TimeUnit.SECONDS);
    }

    @Override
    public final double getMeanRate() {
        long count = getCount();
        if (count == 0) {
            return 0.0;
        }
        double elapsed = clock.getTick() - startTick;
        return elapsed <= 0 ? 0.0 : count / elapsed * TimeUnit.SECONDS.toNanos(1);
    }

    private synchronized void catchUp() {
        long now = clock.getTick();
        long ticks = (now - lastTick) / TICK_NANOS;
        if (ticks <= 0) {
            return;
        }
        lastTick += ticks * TICK_NANOS;
        long count = getCount();
        long events = count - lastCount;
        lastCount = count;
        if (ticks > MAX_REPLAYED_TICKS) {
            // Only the last MAX_REPLAYED_TICKS matter; give them their even share of the events.
            events = (long) ((double) events * MAX_REPLAYED_TICKS / ticks);
            ticks = MAX_REPLAYED_TICKS;
        }
        long share = events / ticks;
        long remainder = events % ticks;
        for (long i = 0; i < ticks; i++) {
            long n = share + (i < remainder ? 1 : 0);
            m1.update(n);
            m5.update(n);
            m15.update(n);
            m1.tick();
            m5.tick();
            m15.tick();
        }
    }
}
