package io.duet.proxy.accesslog;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.duet.config.AccessLog;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log: the request path hands finished requests to {@link #log}, one daemon thread formats and writes
 * them to a file, standard output or syslog.
 *
 * <p>I/O threads: {@link #log} never blocks, takes no lock and does no I/O: it puts the record into a lock-free
 * bounded queue ({@link RecordQueue}) and, if the queue is full, drops it and counts it ({@link #dropped()} and the
 * counter {@code duet_access_log_dropped_total}). It wakes the writer only when the queue passes its high-water mark
 * (a quarter of its capacity); otherwise the writer wakes on its own timer.
 *
 * <p>The writer thread wakes every {@value #FLUSH_INTERVAL_MILLIS} ms (or at the high-water mark, or on
 * {@link #close}/{@link #reopen}), takes every queued record, formats them into one reusable byte buffer and writes
 * the batch with one write (a file or standard output; 64 KiB at most per write) or sends one datagram per record
 * (syslog). So a record reaches the file or the syslog daemon within about {@value #FLUSH_INTERVAL_MILLIS} ms of
 * {@link #log}, unless the output itself stalls. Why that interval: the writer formats a whole interval's records
 * in one burst, and on a machine whose cores are all busy with I/O threads that burst is time an I/O thread waits
 * for its core: at 50,000 requests a second a 100 ms interval made bursts of about 2 ms, which showed in the
 * proxy's p99 (about 4 ms with the log on against 2 ms off, issue 18); 20 ms makes them about 0.4 ms. At 50
 * wake-ups a second an idle writer still costs nothing measurable, a busy one writes hundreds of lines per system
 * call, and the default queue of {@value #DEFAULT_CAPACITY} records absorbs 20 ms of about 800,000 requests a
 * second before dropping (the high-water wake-up starts the writer early long before that).
 *
 * <p>Rotation by external tools: about once a second the writer compares the file at the configured path with the
 * file it has open (the file key, i.e. device and inode). If the path is gone (moved or deleted) or names another
 * file, it writes what it holds, closes its file and opens the path again, creating it: logrotate's default
 * {@code create} mode needs no signal and no {@code postrotate} step. {@code copytruncate} also works (append mode).
 * {@link #reopen()} forces a reopen at the writer's next turn. Standard output is never reopened.
 *
 * <p>Errors: if the output cannot be opened or written, the writer logs {@code DUET-PROXY-0901}/{@code 0902} once,
 * counts the records it cannot write as dropped and retries opening every second.
 */
public final class AccessLogWriter implements AutoCloseable {
    /** Records the queue holds before {@link #log} starts dropping. */
    public static final int DEFAULT_CAPACITY = 16_384;
    /** The name of the drop counter in the registry. */
    public static final String DROPPED_METRIC = "duet_access_log_dropped_total";
    /** How long a record waits at most (normally) before the writer takes it. */
    public static final long FLUSH_INTERVAL_MILLIS = 20;

    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Records taken from the queue between two chances for the buffer to be written. */
    private static final int DRAIN_STEP = 1024;

    private final RecordQueue queue;
    private final int highWater;
    private final LongAdder dropped = new LongAdder();
    private final Counter droppedCounter;
    private final Thread thread;
    private final Path path;
    private final Sink sink;
    private final Runnable beforeTake;
    private final Consumer<AccessRecord> toSink = this::toSink;
    private volatile boolean closed;
    private volatile boolean reopenRequested;
    /** Set by the producer that wakes the writer at the high-water mark, cleared by the writer when it wakes. */
    private volatile boolean wakePending;

    private AccessLogWriter(AccessLog config, Path dataDir, MetricRegistry registry, int capacity,
                            Runnable beforeTake) {
        this.droppedCounter = registry == null ? null : registry.counter(DROPPED_METRIC);
        this.beforeTake = beforeTake;
        if (!config.enabled()) {
            queue = null;
            thread = null;
            path = null;
            sink = null;
            highWater = 0;
            return;
        }
        queue = new RecordQueue(capacity);
        highWater = Math.max(1, capacity / 4);
        LineFormat format = LineFormat.named(config.format());
        if (config.syslog() != null) {
            path = null;
            sink = new SyslogSink(config.syslog(), format, ZoneId.systemDefault());
        } else if ("-".equals(config.path())) {
            path = null;
            sink = new StdoutSink(format);
        } else {
            path = resolve(dataDir, config.path());
            sink = new FileSink(path, format);
        }
        thread = new Thread(this::run, "duet-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the writer for a configuration. A disabled configuration gives a writer whose {@link #log} does
     * nothing. The output is opened (a file's directory created) on the writer thread; failures are logged there.
     *
     * @param config   enabled, format ({@code combined} or {@code json}), path ({@code -} is standard output) or
     *                 syslog
     * @param dataDir  relative paths resolve against it
     * @param registry where {@code duet_access_log_dropped_total} is registered; may be null
     */
    public static AccessLogWriter open(AccessLog config, Path dataDir, MetricRegistry registry) {
        return new AccessLogWriter(config, dataDir, registry, DEFAULT_CAPACITY, () -> { });
    }

    /** As {@link #open(AccessLog, Path, MetricRegistry)}, with a queue capacity and a hook the writer thread runs
     * before each take from the queue (tests use it to stall the writer). */
    static AccessLogWriter open(AccessLog config, Path dataDir, MetricRegistry registry, int capacity,
                                Runnable beforeTake) {
        return new AccessLogWriter(config, dataDir, registry, capacity, beforeTake);
    }

    /** The file written, or null for standard output, syslog, or when disabled. */
    public Path path() {
        return path;
    }

    /**
     * Queues a record. I/O thread; never blocks, takes no lock, never does I/O: if the queue is full (or the writer
     * is closed) the record is dropped and counted. Wakes the writer (one unpark) only when the queue passes its
     * high-water mark.
     */
    public void log(AccessRecord record) {
        if (queue == null) {
            return;
        }
        Objects.requireNonNull(record, "record");
        if (closed) {
            drop(1);
            return;
        }
        int queued = queue.offer(record);
        if (queued < 0) {
            drop(1);
        } else if (queued >= highWater && !wakePending) {
            wakePending = true;
            LockSupport.unpark(thread);
        }
    }

    /** Records dropped since start: queue full, writer closed, or output not writable. */
    public long dropped() {
        return dropped.sum();
    }

    /** Asks the writer thread to reopen the output at its next turn (within about a second). Any thread. */
    public void reopen() {
        reopenRequested = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Writes what is queued and closes the output. Blocks until done; idempotent. Not on an I/O thread. */
    @Override
    public void close() {
        if (queue == null || closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // A producer that saw closed == false just before it was set may have queued after the writer's last look.
        queue.drain(r -> drop(1), Integer.MAX_VALUE);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void drop(long n) {
        if (n == 0) {
            return;
        }
        dropped.add(n);
        if (droppedCounter != null) {
            droppedCounter.inc(n);
        }
    }

    private static Path resolve(Path dataDir, String configured) {
        Path p = Path.of(configured);
        return p.isAbsolute() ? p : dataDir.resolve(p);
    }

    // ---- writer thread ----

    private void run() {
        sink.open();
        long lastCheck = System.nanoTime();
        for (;;) {
            beforeTake.run();
            if (!closed && !reopenRequested && queue.size() < highWater) {
                LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
            }
            wakePending = false; // from here on a producer at the high-water mark wakes us again
            boolean stopping = closed;
            writeQueued();
            long now = System.nanoTime();
            if (reopenRequested || now - lastCheck >= CHECK_INTERVAL_NANOS) {
                boolean requested = reopenRequested;
                reopenRequested = false;
                drop(sink.maintain(requested));
                lastCheck = now;
            }
            if (stopping) {
                writeQueued();
                drop(sink.close());
                return;
            }
        }
    }

    /** Takes every queued record into the sink, then writes what the sink buffered. */
    private void writeQueued() {
        while (queue.drain(toSink, DRAIN_STEP) == DRAIN_STEP) {
            // keep going: the sink writes whenever its buffer fills
        }
        drop(sink.flush());
    }

    private void toSink(AccessRecord r) {
        drop(sink.add(r));
    }
}
