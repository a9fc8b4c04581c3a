package io.duet.config.store;

import io.duet.config.ConfigCodec;
import io.duet.config.ConfigMessage;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.ProposalValidator;
import io.duet.config.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The standalone config store: one JSON or YAML file (format by extension), watched for edits.
 *
 * <p>Edits to the file are picked up by a daemon thread ({@code duet-config-watch}) that listens to the directory
 * with a {@link WatchService} and, because that can miss an editor's rename-swap, also compares the file's
 * modification time, size and identity about once a second. A changed file is read, decoded and validated by the
 * store's {@link ProposalValidator} (as a proposal: the material of new and changed certificates too): a valid
 * document is committed with revision {@code max(current + 1, revision in the file)}; an invalid one is logged
 * ({@code DUET-CONFIG-0100}, every violation) and the current document stays. A file whose bytes did not change, or
 * whose document equals the current one apart from its revision, is not a new revision. The file itself is never
 * rewritten by an edit; {@link #propose} writes it (atomically, mode 0600: it holds password and token hashes and
 * sealed keys) in the same format.
 *
 * <p>A file written by hand (anything but Duet's own encoding of its document: comments, another layout) is kept
 * once as {@code <file>.orig} (0600) before the store first rewrites it; an existing {@code .orig} is never replaced
 * ({@code DUET-CONFIG-0330}).
 *
 * <p>Subscribers are called in revision order on the {@code duet-config-notify} daemon thread. The last
 * {@value #HISTORY_SIZE} committed documents are kept in memory ({@link #history()}).
 *
 * <p>Thread-safe. {@link #propose} blocks for a file write and fsync; call it off I/O threads.
 */
public final class FileConfigStore implements ConfigStore {
    /** Committed documents kept by {@link #history()}. */
    public static final int HISTORY_SIZE = 50;

    private static final Logger LOG = LoggerFactory.getLogger(FileConfigStore.class);
    private static final long POLL_MILLIS = 1000;
    private static final long SETTLE_MILLIS = 50;

    private final Path file;
    private final ConfigCodec.Format format;
    private final ProposalValidator validator;
    private final Object lock = new Object();
    private final ExecutorService notifier;
    private final WatchService watchService;
    private final Thread watcher;

    // Guarded by lock.
    private DuetConfig current;
    private final Deque<Commit> history = new ArrayDeque<>();
    private final List<Consumer<DuetConfig>> subscribers = new ArrayList<>();
    private byte[] lastBytes;
    /** True when {@link #lastBytes} are Duet's own encoding of the document (written by the store, not by hand). */
    private boolean ownEncoding;
    private FileStamp lastStamp;
    private boolean missingReported;
    private boolean closed;
    private long fileChecks;

    private FileConfigStore(Path file, ConfigCodec.Format format, ProposalValidator validator, DuetConfig initial,
                            byte[] bytes, FileStamp stamp) throws IOException {
        this.file = file;
        this.format = format;
        this.validator = validator;
        this.current = initial;
        this.history.addFirst(new Commit(initial, null, 0, "opened"));
        this.lastBytes = bytes;
        this.ownEncoding = isOwnEncoding(bytes, initial, format);
        this.lastStamp = stamp;
        this.watchService = file.getFileSystem().newWatchService();
        try {
            file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            watchService.close();
            throw e;
        }
        this.notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "duet-config-notify"));
        this.watcher = daemon(this::watch, "duet-config-watch");
        this.watcher.start();
    }

    /**
     * As {@link #open(Path, ProposalValidator)} with {@link ProposalValidator#DOCUMENT_ONLY}: edits and proposals
     * are checked against the document's rules only, no certificate material. For tests and tools without a data
     * key; a node passes its own validator.
     */
    public static FileConfigStore open(Path file) throws IOException, InvalidConfigException {
        return open(file, ProposalValidator.DOCUMENT_ONLY);
    }

    /**
     * Reads {@code file} and validates it with the document's rules (the committed document: its certificates were
     * checked when they came in, and one that expired since must not stop the node), then starts watching it. Edits
     * of the file and proposals are checked with {@code validator}. Blocks for the read.
     *
     * @throws InvalidConfigException the file cannot be decoded or has errors; nothing was started
     * @throws IOException            the file cannot be read or its directory cannot be watched
     */
    public static FileConfigStore open(Path file, ProposalValidator validator)
            throws IOException, InvalidConfigException {
        Objects.requireNonNull(validator, "validator");
        Path path = file.toAbsolutePath().normalize();
        ConfigCodec.Format format = ConfigCodec.Format.ofFileName(path.getFileName().toString());
        FileStamp stamp = FileStamp.of(path);
        byte[] bytes = Files.readAllBytes(path);
        DuetConfig config = ConfigCodec.decodeValid(text(bytes), format);
        logWarnings(config, path);
        LOG.info("config file {} loaded, revision {}", path, config.revision());
        return new FileConfigStore(path, format, validator, config, bytes, stamp);
    }

    /** The watched file (absolute). */
    public Path file() {
        return file;
    }

    @Override
    public DuetConfig current() {
        synchronized (lock) {
            return current;
        }
    }

    /** The last {@value #HISTORY_SIZE} committed documents, newest (the current one) first. */
    public List<DuetConfig> history() {
        synchronized (lock) {
            return history.stream().map(Commit::config).toList();
        }
    }

    @Override
    public List<Commit> commits() {
        synchronized (lock) {
            return List.copyOf(history);
        }
    }

    /** How many times the file was read to look for an edit; lets tests wait for a check without sleeping. */
    long fileChecks() {
        synchronized (lock) {
            return fileChecks;
        }
    }

    @Override
    public List<Violation> validate(DuetConfig proposed) {
        return validator.validate(proposed, current());
    }

    @Override
    public void subscribe(Consumer<DuetConfig> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            subscribers.add(listener);
        }
    }

    /**
     * Validates {@code proposed}, writes it to the file (temporary file, fsync, atomic rename) and commits it as
     * revision {@code baseRevision + 1}. An edit of the file not yet picked up is loaded first, so that it is not
     * silently overwritten: the proposal then conflicts. Blocks for the write.
     *
     * @throws UncheckedIOException the file could not be written ({@code DUET-CONFIG-0102}); nothing was committed
     */
    @Override
    public DuetConfig propose(DuetConfig proposed, long baseRevision)
            throws InvalidConfigException, RevisionConflictException {
        return propose(proposed, baseRevision, null, null);
    }

    @Override
    public DuetConfig propose(DuetConfig proposed, long baseRevision, String author, String summary)
            throws InvalidConfigException, RevisionConflictException {
        Objects.requireNonNull(proposed, "proposed");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("config store for " + file + " is closed");
            }
            reloadLocked();
            if (baseRevision != current.revision()) {
                throw new RevisionConflictException(baseRevision, current.revision());
            }
            DuetConfig next = validator.requireValid(proposed.withRevision(baseRevision + 1), current);
            byte[] bytes = ConfigCodec.encode(next, format).getBytes(StandardCharsets.UTF_8);
            try {
                if (!ownEncoding) {
                    keepOriginal(next.revision());
                }
                PrivateFile.write(file, bytes);
                lastStamp = FileStamp.of(file);
            } catch (IOException e) {
                String message = ConfigMessage.FILE_WRITE_FAILED.id() + " "
                        + ConfigMessage.FILE_WRITE_FAILED.format(file, e, next.revision());
                LOG.error(message, e);
                throw new UncheckedIOException(message, e);
            }
            lastBytes = bytes;
            ownEncoding = true;
            missingReported = false;
            logWarnings(next, file);
            commitLocked(next, "proposal", author, summary);
            return next;
        }
    }

    /** Stops watching and notifying. Idempotent; waits briefly for the watch thread to end. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service of {}", file, e);
        }
        watcher.interrupt();
        notifier.shutdown();
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(5));
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the watch thread

    private void watch() {
        try {
            while (!isClosed()) {
                boolean touched = false;
                WatchKey key = watchService.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    touched = concernsFile(key);
                    // Editors write in steps (truncate, write, rename); wait until the events stop.
                    WatchKey more;
                    while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                        touched |= concernsFile(more);
                    }
                }
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    if (touched || !Objects.equals(lastStamp, FileStamp.of(file))) {
                        reloadLocked();
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close() was called.
        } catch (RuntimeException | Error e) {
            LOG.error("{} {}", ConfigMessage.WATCH_STOPPED.id(), ConfigMessage.WATCH_STOPPED.format(file), e);
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean touched = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            touched |= event.kind() == StandardWatchEventKinds.OVERFLOW
                    || file.getFileName().equals(event.context());
        }
        key.reset();
        return touched;
    }

    /** Reads the file and commits it if it changed and is valid. Holds the lock, so propose cannot interleave. */
    private void reloadLocked() {
        fileChecks++;
        long running = current.revision();
        byte[] bytes;
        try {
            lastStamp = FileStamp.of(file);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (!missingReported) {
                missingReported = true;
                String reason = e instanceof NoSuchFileException ? "it does not exist" : e.toString();
                LOG.warn("{} {}", ConfigMessage.FILE_UNREADABLE.id(),
                        ConfigMessage.FILE_UNREADABLE.format(file, reason, running));
            }
            return;
        }
        missingReported = false;
        if (Arrays.equals(bytes, lastBytes)) {
            return;
        }
        lastBytes = bytes;
        ownEncoding = false;
        DuetConfig edited;
        try {
            edited = validator.requireValid(ConfigCodec.decode(text(bytes), format), current);
            ownEncoding = isOwnEncoding(bytes, edited, format);
        } catch (InvalidConfigException e) {
            LOG.warn("{} {}\n  {}", ConfigMessage.FILE_REJECTED.id(),
                    ConfigMessage.FILE_REJECTED.format(file, running),
                    e.violations().stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
            return;
        }
        if (edited.withRevision(running).equals(current)) {
            LOG.debug("config file {} changed but its document did not; still revision {}", file, running);
            return;
        }
        logWarnings(edited, file);
        commitLocked(edited.withRevision(Math.max(running + 1, edited.revision())), "file edit", "file", "edit of "
                + file.getFileName());
    }

    private void commitLocked(DuetConfig next, String source, String author, String summary) {
        current = next;
        history.addFirst(new Commit(next, author, System.currentTimeMillis(), summary));
        while (history.size() > HISTORY_SIZE) {
            history.removeLast();
        }
        LOG.info("config revision {} committed ({}, file {})", next.revision(), source, file);
        List<Consumer<DuetConfig>> targets = List.copyOf(subscribers);
        try {
            notifier.execute(() -> notifyAll(targets, next));
        } catch (RejectedExecutionException e) {
            LOG.debug("store closed; revision {} not delivered", next.revision());
        }
    }

    private static void notifyAll(List<Consumer<DuetConfig>> targets, DuetConfig config) {
        for (Consumer<DuetConfig> target : targets) {
            try {
                target.accept(config);
            } catch (RuntimeException e) {
                LOG.error("{} {}", ConfigMessage.SUBSCRIBER_FAILED.id(),
                        ConfigMessage.SUBSCRIBER_FAILED.format(target, config.revision()), e);
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    // ---- file helpers

    /**
     * Keeps the hand-written file as it is now ({@link #lastBytes}) as {@code <file>.orig}, once: an existing copy is
     * never replaced. Holds the lock.
     */
    private void keepOriginal(long revision) throws IOException {
        Path orig = file.resolveSibling(file.getFileName() + ".orig");
        if (PrivateFile.writeOnce(orig, lastBytes)) {
            LOG.warn("{} {}", ConfigMessage.ORIGINAL_KEPT.id(), ConfigMessage.ORIGINAL_KEPT.format(file, revision,
                    orig));
        }
    }

    /** True when {@code bytes} are exactly what the store would write for {@code config}. */
    private static boolean isOwnEncoding(byte[] bytes, DuetConfig config, ConfigCodec.Format format) {
        return Arrays.equals(bytes, ConfigCodec.encode(config, format).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) throws InvalidConfigException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidConfigException(List.of(Violation.error("$", ConfigMessage.SYNTAX.id(),
                    "the file is not UTF-8 text (save it as UTF-8)")));
        }
    }

    private static void logWarnings(DuetConfig config, Path file) {
        for (Violation v : ConfigValidator.validate(config)) {
            if (!v.isError()) {
                LOG.warn("config file {}: {}", file, v);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** What the poll compares: modification time, size and file identity (an inode, where there is one). */
    private record FileStamp(FileTime modified, long size, Object fileKey) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException e) {
                return null;
            }
        }
    }
}
