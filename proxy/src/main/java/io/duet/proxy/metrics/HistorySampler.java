package io.duet.proxy.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.message.ProxyMessage.HISTORY_SAMPLE_FAILED;

/**
 * Samples a {@link MetricsHistory} every period on a thread of its own ({@code duet-metrics-history}, a daemon),
 * never on an I/O thread. A failed sample is logged and skipped. {@link #close} stops it; idempotent.
 */
public final class HistorySampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);
    private final ScheduledExecutorService timer;

    private HistorySampler(MetricsHistory history) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duet-metrics-history");
            t.setDaemon(true);
            return t;
        });
        long period = history.periodMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                history.sample();
            } catch (RuntimeException e) {
                LOG.error("{} metrics history sample failed", HISTORY_SAMPLE_FAILED, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts sampling {@code history} every {@link MetricsHistory#periodMillis()}, the first one period from now. */
    public static HistorySampler start(MetricsHistory history) {
        return new HistorySampler(history);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
