package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Counting;

/**
 * Requests in flight, derived when read as {@code started - finished} from two counts the request path keeps anyway
 * (the requests counter and the latency count), so starting and finishing a request cost nothing here.
 * {@link #inc}/{@link #dec} still work and shift the derived value.
 *
 * <p>{@link #getCount} reads the finished count before the started count: a request counted as finished was
 * counted as started before, so the value is never negative (it may include a request that started during the
 * read). Any thread.
 */
final class ActiveRequests extends Counter {
    private final Counting started;
    private final Counting finished;

    ActiveRequests(Counting started, Counting finished) {
        this.started = started;
        this.finished = finished;
    }

    boolean derivesFrom(Counting started, Counting finished) {
        return this.started == started && this.finished == finished;
    }

    @Override
    public long getCount() {
        long f = finished.getCount();
        return started.getCount() - f + super.getCount();
    }
}
