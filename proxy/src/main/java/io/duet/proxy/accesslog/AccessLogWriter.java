package io.duet.proxy.accesslog;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.duet.config.AccessLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.duet.proxy.message.ProxyMessage;

import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_OPEN_FAILED;
import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_REOPENED;
import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_WRITABLE;
import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_WRITE_FAILED;

/**
 * The access log: the request path hands finished requests to {@link #log}, one daemon thread formats and writes
 * them.
 *
 * <p>Threads: {@link #log} is called on I/O threads; it never blocks and never does I/O: it offers the record to a
 * bounded queue and, if the queue is full, drops it and counts it ({@link #dropped()} and the counter
 * {@code duet_access_log_dropped_total}). The writer thread drains the queue in batches into a buffered writer,
 * flushes as soon as the queue is empty and at least once a second under constant load. {@link #close} (any
 * non-I/O thread; blocks) writes what is queued, flushes and closes the file.
 *
 * <p>Rotation by external tools: about once a second the writer thread compares the file at the configured path with
 * the file it has open (the file key, i.e. device and inode). If the path is gone (moved or deleted) or names another
 * file, it flushes and closes its file and opens the path again, creating it: logrotate's default {@code create}
 * mode needs no signal and no {@code postrotate} step; records written between the move and the check go to the
 * moved file, as with NGINX before USR1. {@code copytruncate} also works, since the file is opened in append mode.
 * {@link #reopen()} forces a reopen at once. Standard output ({@code -}) is never reopened.
 *
 * <p>Errors: if the file cannot be opened or written, the writer logs {@code DUET-PROXY-0901}/{@code 0902} once,
 * counts the records it cannot write as dropped and retries opening every second.
 */
public final class AccessLogWriter implements AutoCloseable {
    /** Records the queue holds before {@link #log} starts dropping. */
    public static final int DEFAULT_CAPACITY = 16_384;
    /** The name of the drop counter in the registry. */
    public static final String DROPPED_METRIC = "duet_access_log_dropped_total";

    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final AccessRecord POISON =
            new AccessRecord(0, null, null, null, null, 0, 0, 0, 0, null, null, null, null, null, null, null, null, null);
    private static final int BATCH = 512;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BUFFER_CHARS = 64 * 1024;

    private final ArrayBlockingQueue<AccessRecord> queue;
    private final LongAdder dropped = new LongAdder();
    private final Counter droppedCounter;
    private final Thread thread;
    private final Path path;
    private final boolean json;
    private final Runnable beforeTake;
    private volatile boolean closed;
    private volatile boolean reopenRequested;

    // Writer thread only.
    private final CombinedFormat combined = new CombinedFormat();
    private final JsonFormat jsonFormat = new JsonFormat();
    private final StringBuilder line = new StringBuilder(512);
    private Writer out;
    private Object openFileKey;
    private boolean failing;

    private AccessLogWriter(AccessLog config, Path dataDir, MetricRegistry registry, int capacity,
                            Runnable beforeTake) {
        this.droppedCounter = registry == null ? null : registry.counter(DROPPED_METRIC);
        this.json = "json".equals(config.format().toLowerCase(Locale.ROOT));
        this.beforeTake = beforeTake;
        if (!config.enabled()) {
            queue = null;
            thread = null;
            path = null;
            return;
        }
        queue = new ArrayBlockingQueue<>(capacity);
        path = "-".equals(config.path()) ? null : resolve(dataDir, config.path());
        thread = new Thread(this::run, "duet-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the writer for a configuration. A disabled configuration gives a writer whose {@link #log} does
     * nothing. The file is opened (and its directory created) on the writer thread; failures are logged there.
     *
     * @param config   enabled, format ({@code combined} or {@code json}), path ({@code -} is standard output)
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

    /** The file written, or null for standard output or when disabled. */
    public Path path() {
        return path;
    }

    /**
     * Queues a record. I/O thread; never blocks, never does I/O: if the queue is full (or the writer is closed) the
     * record is dropped and counted.
     */
    public void log(AccessRecord record) {
        if (queue == null) {
            return;
        }
        if (closed || !queue.offer(Objects.requireNonNull(record, "record"))) {
            drop(1);
        }
    }

    /** Records dropped since start: queue full, writer closed, or file not writable. */
    public long dropped() {
        return dropped.sum();
    }

    /** Asks the writer thread to reopen the file at its next turn (at most about a second later). Any thread. */
    public void reopen() {
        reopenRequested = true;
    }

    /** Writes what is queued, flushes and closes. Blocks until done; idempotent. Not on an I/O thread. */
    @Override
    public void close() {
        if (queue == null || closed) {
            return;
        }
        closed = true;
        try {
            queue.put(POISON);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drop(long n) {
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
        List<AccessRecord> batch = new ArrayList<>(BATCH);
        openOutput();
        long lastFlush = System.nanoTime();
        long lastCheck = lastFlush;
        boolean dirty = false;
        boolean stop = false;
        while (!stop) {
            beforeTake.run();
            AccessRecord first;
            try {
                first = queue.poll(FLUSH_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; close() uses the poison record
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (AccessRecord r : batch) {
                    if (r == POISON) {
                        stop = true;
                    } else {
                        dirty |= write(r);
                    }
                }
                batch.clear();
            }
            long now = System.nanoTime();
            if (dirty && (queue.isEmpty() || now - lastFlush >= FLUSH_INTERVAL_NANOS)) {
                flush();
                dirty = false;
                lastFlush = now;
            }
            if (reopenRequested || now - lastCheck >= CHECK_INTERVAL_NANOS) {
                checkFile();
                lastCheck = now;
            }
        }
        // Records offered after the poison by producers racing close().
        for (AccessRecord r; (r = queue.poll()) != null; ) {
            write(r);
        }
        flush();
        closeOutput();
    }

    /** Formats and buffers one record; false (and counted as dropped) if there is no writable output. */
    private boolean write(AccessRecord r) {
        if (out == null) {
            drop(1);
            return false;
        }
        try {
            if (json) {
                jsonFormat.write(r);
            } else {
                line.setLength(0);
                combined.append(line, r);
                out.append(line);
            }
            return true;
        } catch (IOException e) {
            fail("{} cannot write the access log {}: {}; records are dropped until it can be written"
                    + " again (check disk space and permissions)", ACCESS_LOG_WRITE_FAILED, e);
            drop(1);
            closeOutput();
            return false;
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            if (json) {
                jsonFormat.flush();
            }
            out.flush();
        } catch (IOException e) {
            fail("{} cannot write the access log {}: {}; records are dropped until it can be written"
                    + " again (check disk space and permissions)", ACCESS_LOG_WRITE_FAILED, e);
            closeOutput();
        }
    }

    /** Reopens when asked to, when the output failed, or when the path no longer names the file we have open. */
    private void checkFile() {
        boolean requested = reopenRequested;
        reopenRequested = false;
        if (path == null) {
            return;
        }
        if (out != null && !requested) {
            Object key;
            try {
                key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                key = null;
            } catch (IOException e) {
                return; // cannot tell; keep writing where we are
            }
            boolean same = key != null && (openFileKey == null || openFileKey.equals(key));
            if (same) {
                return;
            }
            LOG.info("{} access log {} was moved or replaced; reopening it", ACCESS_LOG_REOPENED, path);
        }
        flush();
        closeOutput();
        openOutput();
    }

    private void openOutput() {
        try {
            if (path == null) {
                out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                        StandardCharsets.UTF_8), BUFFER_CHARS);
            } else {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                        StandardCharsets.UTF_8), BUFFER_CHARS);
                openFileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            }
            if (json) {
                jsonFormat.bind(out);
            }
            if (failing) {
                LOG.info("{} access log {} is writable again", ACCESS_LOG_WRITABLE, path);
                failing = false;
            }
        } catch (IOException e) {
            fail("{} cannot open the access log {}: {}; records are dropped until it can be opened"
                    + " (check that the directory exists and is writable by the duet user)", ACCESS_LOG_OPEN_FAILED, e);
            closeOutput();
        }
    }

    private void closeOutput() {
        Writer w = out;
        out = null;
        openFileKey = null;
        if (w == null) {
            return;
        }
        try {
            if (path == null) {
                w.flush(); // never close the process's standard output
            } else {
                w.close();
            }
        } catch (IOException e) {
            // Already reported by the write or flush that failed; nothing more to do with a dead file.
        }
    }

    private void fail(String message, ProxyMessage id, IOException e) {
        if (!failing) {
            LOG.error(message, id, path == null ? "-" : path, e.toString());
            failing = true;
        }
    }
}
