package io.duet.cluster.raft;

import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The replicated document as a Raft state machine. A proposal carries the revision it was based on; applying it
 * commits revision + 1 when that base is still current and refuses it otherwise (the same decision on every
 * member, since it depends only on the log). The leader stamps its clock into each entry, so every member records
 * the same commit time.
 *
 * <p>Keeps the current revision and a bounded history; snapshots write both (Ratis then purges the log); after each
 * applied revision it writes {@code last-applied.bin} in the node's directory (temp file, fsync, rename), which the
 * node serves at start before any leader exists.
 *
 * <p>Threads: Ratis applies entries one at a time; subscribers are called in order on one notifier thread.
 */
final class DocumentStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Path lastAppliedFile;
    private final int historySize;
    private final List<Consumer<Revision>> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "duet-cluster-notify");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    // Guarded by lock.
    private Revision current;
    private final Deque<Revision> history = new ArrayDeque<>();

    DocumentStateMachine(Path nodeDir, int historySize) {
        this.lastAppliedFile = nodeDir.resolve("last-applied.bin");
        this.historySize = historySize;
        this.current = readLastApplied(lastAppliedFile);
        if (current.revision() > 0) {
            history.addFirst(current);
        }
    }

    /** The last applied revision (at start: the one on local disk, before any leader exists). */
    Revision current() {
        synchronized (lock) {
            return current;
        }
    }

    /** Newest first, at most the history size. */
    List<Revision> history() {
        synchronized (lock) {
            return List.copyOf(history);
        }
    }

    void subscribe(Consumer<Revision> listener) {
        subscribers.add(listener);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot();
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot();
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void loadSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        List<Revision> revs = Codec.revisions(Files.readAllBytes(snapshot.getFile().getPath()));
        synchronized (lock) {
            history.clear();
            history.addAll(revs);
            current = revs.isEmpty() ? Revision.NONE : revs.get(0);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("DUET-CLUSTER-0011 loaded snapshot at {} (revision {})", snapshot.getTermIndex(), current().revision());
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        byte[] bytes;
        synchronized (lock) {
            bytes = Codec.revisions(new ArrayList<>(history));
        }
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        writeDurably(file, bytes);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, null), last));
        return last.getIndex();
    }

    /** Leader only: stamps the leader's clock in front of the client's proposal. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        byte[] proposal = request.getMessage().getContent().toByteArray();
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request)
                .setLogData(ByteString.copyFrom(Codec.stamped(System.currentTimeMillis(), proposal)))
                .build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        Codec.Entry e = Codec.entry(entry.getStateMachineLogEntry().getLogData().toByteArray());
        Revision next;
        long currentRevision;
        synchronized (lock) {
            currentRevision = current.revision();
            if (e.proposal().baseRevision() != currentRevision) {
                next = null;
            } else {
                next = new Revision(currentRevision + 1, e.proposal().document(), e.proposal().author(),
                        e.leaderTime(), e.proposal().summary());
                current = next;
                history.addFirst(next);
                while (history.size() > historySize) {
                    history.removeLast();
                }
            }
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (next == null) {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    Codec.reply(false, currentRevision))));
        }
        try {
            writeDurably(lastAppliedFile, Codec.revisions(List.of(next)));
        } catch (IOException ex) {
            LOG.error("DUET-CLUSTER-0012 cannot write {}: {} (the revision is committed in the Raft log anyway)",
                    lastAppliedFile, ex.toString());
        }
        Revision applied = next;
        notifier.execute(() -> {
            for (Consumer<Revision> s : subscribers) {
                try {
                    s.accept(applied);
                } catch (RuntimeException ex) {
                    LOG.error("DUET-CLUSTER-0013 a subscriber failed on revision {}: {}", applied.revision(),
                            ex.toString(), ex);
                }
            }
        });
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                Codec.reply(true, applied.revision()))));
    }

    @Override
    public void close() throws IOException {
        notifier.shutdown();
        super.close();
    }

    private static Revision readLastApplied(Path file) {
        try {
            if (Files.exists(file)) {
                List<Revision> r = Codec.revisions(Files.readAllBytes(file));
                return r.isEmpty() ? Revision.NONE : r.get(0);
            }
        } catch (IOException e) {
            LOG.warn("DUET-CLUSTER-0014 {} does not load ({}); waiting for the cluster", file, e.toString());
        }
        return Revision.NONE;
    }

    static void writeDurably(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems do not sync directories
        }
    }
}
