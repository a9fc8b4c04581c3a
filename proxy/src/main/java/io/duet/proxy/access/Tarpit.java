package io.duet.proxy.access;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds refused requests for a while before their answer, without holding a thread: the exchange is dispatched
 * (so it stays open when its handler returns) and its answer is a task scheduled on the exchange's own I/O thread.
 * At most {@link #capacity()} requests are held at once by one data plane (every listener and route together,
 * across reloads); a request over that bound is not held but answered at once, as a plain denial, so a flood of
 * refused clients costs Duet no more memory than that many parked exchanges.
 *
 * <p>Thread-safe; {@link #hold} runs on I/O threads and never blocks.
 */
public final class Tarpit {
    /** The bound of a data plane: requests held at once. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final AtomicInteger held = new AtomicInteger();

    public Tarpit(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Holds the exchange {@code millis}, then runs {@code then} on its I/O thread; false (nothing held, nothing
     * scheduled) when {@link #capacity()} requests are already held.
     */
    boolean hold(HttpServerExchange exchange, long millis, Runnable then) {
        if (held.incrementAndGet() > capacity) {
            held.decrementAndGet();
            return false;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(() -> {
            try {
                then.run();
            } finally {
                held.decrementAndGet();
            }
        }, millis, TimeUnit.MILLISECONDS));
        return true;
    }

    /** Requests held now. */
    public int held() {
        return held.get();
    }

    public int capacity() {
        return capacity;
    }
}
