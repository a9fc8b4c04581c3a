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

import static io.duet.cluster.message.ClusterMessage.HANDOFF;
import static io.duet.cluster.message.ClusterMessage.LAST_APPLIED_UNREADABLE;
import static io.duet.cluster.message.ClusterMessage.LAST_APPLIED_WRITE_FAILED;
import static io.duet.cluster.message.ClusterMessage.NODE_ENDED;
import static io.duet.cluster.message.ClusterMessage.SNAPSHOT_LOADED;
import static io.duet.cluster.message.ClusterMessage.SUBSCRIBER_FAILED;
import static io.duet.cluster.message.ClusterMessage.VIP_HOLDER_CHANGED;

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
 * <p>Restart: the state machine starts empty (or from its latest snapshot) and Ratis replays the log after it, so
 * replayed proposals are judged exactly as they were the first time and the history is rebuilt. Until the replay
 * passes the revision found on disk, {@link #current} answers with the disk revision, the disk file is not rewritten
 * with older ones, and subscribers hear nothing older than what they were already given (no flip-back of the data
 * plane while the log replays).
 *
 * <p>Snapshot installation (a member behind the leader's purged log): Ratis calls {@link #pause}, installs the
 * leader's snapshot file, then {@link #reinitialize}, which loads it and tells subscribers about the new revision.
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
    private Revision current = Revision.NONE; // as applied from the snapshot and log
    private final Deque<Revision> history = new ArrayDeque<>();
    /** The revision in the last-applied file at start: served until the replay passes it. */
    private final Revision disk;
    /** The newest revision subscribers were given (or the disk revision, which the node serves at start). */
    private long notified;
    /** A random number for this process's life: only heartbeats carrying it renew this node's lease. */
    /** This process's end secret (its guardian proves the process's end with it) and the lifetime number it gives. */
    private final byte[] endSecret = newEndSecret();
    private final long lifetime = io.duet.cluster.vip.Heartbeat.lifetimeOf(endSecret);
    private final java.util.Map<String, io.duet.cluster.vip.Heartbeat> heartbeats = new java.util.TreeMap<>();
    private io.duet.cluster.vip.Ownership table = io.duet.cluster.vip.Ownership.EMPTY;
    /** The replicated audit trail, oldest first, at most {@link #AUDIT_KEEP} records. */
    private final Deque<Codec.AuditRecord> audit = new ArrayDeque<>();
    static final int AUDIT_KEEP = 10_000;

    private final String self;
    private final ClusterSettings settings;
    private final java.util.function.Function<byte[], List<io.duet.cluster.vip.VipSpec>> vipsOf;
    private final List<java.util.function.BiConsumer<io.duet.cluster.vip.Ownership, Long>> ownershipListeners =
            new CopyOnWriteArrayList<>();
    private final List<OwnHeartbeatListener> ownHeartbeatListeners = new CopyOnWriteArrayList<>();

    /**
     * @param s the member's settings: its id (its own heartbeats renew its lease), the VIPs and the failover timers a
     *          document sets (pure functions, the same on every member), the default timers
     */
    DocumentStateMachine(ClusterSettings s) {
        this.lastAppliedFile = s.dataDir().resolve("last-applied.bin");
        this.historySize = s.historySize();
        this.self = s.nodeId();
        this.settings = s;
        this.vipsOf = s.vipsOf();
        this.disk = readLastApplied(lastAppliedFile);
        this.notified = disk.revision();
    }

    private static byte[] newEndSecret() {
        byte[] b = new byte[Codec.END_SECRET_BYTES];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    /** This process's end secret: only its VIP guardian gets it (see {@link Codec.Ended}). */
    byte[] endSecret() {
        return endSecret.clone();
    }

    /** This process's heartbeat lifetime number (see {@link Codec.Beat}). */
    long lifetime() {
        return lifetime;
    }

    /** The last applied revision (at start: the one on local disk, until the log replay passes it). */
    private long timersRevision = -1;
    private long[] timers;

    /**
     * The failover timers of the applied document, {heartbeatMs, leaseMs, marginMs} (the defaults before any): read
     * once per revision. Any thread.
     */
    long[] timers() {
        synchronized (lock) {
            if (timersRevision != current.revision()) {
                timers = settings.timers(current.revision() == 0 ? null : current.document());
                timersRevision = current.revision();
            }
            return timers.clone();
        }
    }

    /** The revision {@link #vips} was read from, and what it configures. Under {@code lock}. */
    private long vipsRevision = -1;
    private List<io.duet.cluster.vip.VipSpec> vips = List.of();

    /**
     * The VIPs of the applied document, read once per revision: every applied heartbeat decides the owners, and
     * decoding the whole document for each (about ten a second) cost every member a JSON parse per heartbeat. Under
     * {@code lock}.
     */
    private List<io.duet.cluster.vip.VipSpec> vips() {
        if (vipsRevision != current.revision()) {
            vips = current.revision() == 0 ? List.of() : List.copyOf(vipsOf.apply(current.document()));
            vipsRevision = current.revision();
        }
        return vips;
    }

    Revision current() {
        synchronized (lock) {
            return current.revision() >= disk.revision() ? current : disk;
        }
    }

    /** The revision the replicated state reached by applying the log (NONE before the replay of a restart). */
    Revision applied() {
        synchronized (lock) {
            return current;
        }
    }

    /** Newest first, at most the history size (while a restart replays: the disk revision alone). */
    List<Revision> history() {
        synchronized (lock) {
            if (current.revision() < disk.revision()) {
                return List.of(disk);
            }
            return List.copyOf(history);
        }
    }

    void subscribe(Consumer<Revision> listener) {
        subscribers.add(listener);
    }

    /** Called (table, Raft term) after every applied entry that changed the VIP table, on the notifier thread. */
    void subscribeOwnership(java.util.function.BiConsumer<io.duet.cluster.vip.Ownership, Long> listener) {
        ownershipListeners.add(listener);
    }

    /**
     * Called with the send time ({@link System#nanoTime}) of each heartbeat this process sent, when it is applied
     * here: the lease runs from the send time. On the notifier thread, after the ownership tables of earlier entries.
     */
    void onOwnHeartbeat(OwnHeartbeatListener listener) {
        ownHeartbeatListeners.add(listener);
    }

    private final List<Runnable> leaderListeners = new CopyOnWriteArrayList<>();
    private volatile long leaderTerm;

    /**
     * Called when this member learns of a new leader, and again when a new term's first entry is applied (a leader is
     * ready only then: for its own member, the first moment requests to it are accepted). On Ratis's threads: the
     * listener must not block.
     */
    void onLeaderChange(Runnable listener) {
        leaderListeners.add(listener);
    }

    @Override
    public void notifyLeaderChanged(org.apache.ratis.protocol.RaftGroupMemberId member,
                                    org.apache.ratis.protocol.RaftPeerId newLeader) {
        leaderListeners.forEach(Runnable::run);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        if (term > leaderTerm) {
            leaderTerm = term;
            leaderListeners.forEach(Runnable::run);
        }
    }

    /** The VIP table as of the last applied entry. */
    io.duet.cluster.vip.Ownership ownership() {
        synchronized (lock) {
            return table;
        }
    }

    /** The newest {@code max} replicated audit records, newest first. */
    List<Codec.AuditRecord> audit(int max) {
        synchronized (lock) {
            List<Codec.AuditRecord> out = new ArrayList<>(Math.min(max, audit.size()));
            var it = audit.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
            }
            return out;
        }
    }

    /** The last applied heartbeat of every node. */
    java.util.Map<String, io.duet.cluster.vip.Heartbeat> heartbeats() {
        synchronized (lock) {
            return java.util.Map.copyOf(heartbeats);
        }
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot();
    }

    /** Ratis is about to install a snapshot from the leader; {@link #reinitialize} follows. */
    @Override
    public void pause() {
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSING);
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSED);
    }

    /** A snapshot was installed from the leader (this member had fallen behind the purged log): load it. */
    @Override
    public void reinitialize() throws IOException {
        storage.loadLatestSnapshot();
        loadSnapshot();
        if (getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.PAUSED) {
            getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.STARTING);
            getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.RUNNING);
        }
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
        Codec.Snapshot parts = Codec.snapshot(Files.readAllBytes(snapshot.getFile().getPath()));
        List<Revision> revs = Codec.revisions(parts.revisions());
        Codec.VipState vip = Codec.vipState(parts.vip());
        List<Codec.AuditRecord> trail = Codec.auditTrail(parts.audit());
        Revision newest;
        io.duet.cluster.vip.Ownership t;
        synchronized (lock) {
            history.clear();
            for (Revision r : revs) {
                if (history.size() < historySize) {
                    history.addLast(r);
                }
            }
            current = revs.isEmpty() ? Revision.NONE : revs.get(0);
            newest = current;
            heartbeats.clear();
            heartbeats.putAll(vip.beats());
            table = vip.table();
            t = table;
            audit.clear();
            audit.addAll(trail);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("{} loaded snapshot at {} (revision {})", SNAPSHOT_LOADED, snapshot.getTermIndex(), newest.revision());
        if (newest.revision() > 0) {
            published(newest);
        }
        long term = snapshot.getTerm();
        notifier.execute(() -> ownershipListeners.forEach(l -> l.accept(t, term)));
    }

    /**
     * A revision became current here: persist it and tell the subscribers, unless they already have it or a newer one
     * (log replay after a restart). Ratis's apply thread.
     */
    private void published(Revision applied) {
        synchronized (lock) {
            if (applied.revision() <= notified) {
                return;
            }
            notified = applied.revision();
        }
        try {
            writeDurably(lastAppliedFile, Codec.revisions(List.of(applied)));
        } catch (IOException ex) {
            LOG.error("{} cannot write {}: {} (the revision is committed in the Raft log anyway)",
                    LAST_APPLIED_WRITE_FAILED, lastAppliedFile, ex.toString());
        }
        notifier.execute(() -> {
            for (Consumer<Revision> s : subscribers) {
                try {
                    s.accept(applied);
                } catch (RuntimeException ex) {
                    LOG.error("{} a subscriber failed on revision {}: {}", SUBSCRIBER_FAILED, applied.revision(),
                            ex.toString(), ex);
                }
            }
        });
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        byte[] bytes;
        synchronized (lock) {
            byte[] revs = Codec.revisions(new ArrayList<>(history));
            byte[] vip = Codec.vipState(heartbeats, table);
            bytes = Codec.snapshot(revs, vip, Codec.auditTrail(audit));
        }
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        writeDurably(file, bytes);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, null), last));
        return last.getIndex();
    }

    /** A read (linearizable when sent with sendReadOnly): the current revision with its document. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        if (request.getContent().size() == 1 && request.getContent().byteAt(0) == Codec.STATUS_QUERY) {
            byte[] vip;
            long revision;
            synchronized (lock) {
                vip = Codec.vipState(heartbeats, table);
                revision = current.revision();
            }
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    java.nio.ByteBuffer.allocate(16 + vip.length).putLong(revision)
                            .putLong(System.currentTimeMillis()).put(vip).array())));
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                Codec.revisions(List.of(current())))));
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
        if (e.audit() != null) {
            synchronized (lock) {
                audit.addLast(new Codec.AuditRecord(e.leaderTime(), entry.getIndex(), e.audit()));
                while (audit.size() > AUDIT_KEEP) {
                    audit.removeFirst();
                }
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Codec.reply(true, 0))));
        }
        if (e.proposal() == null) {
            applyVipEntry(e, entry.getTerm(), entry.getIndex());
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Codec.reply(true, 0))));
        }
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
        Revision applied = next;
        published(applied);
        decideVips(e.leaderTime(), entry.getTerm(), entry.getIndex()); // the document may configure other VIPs
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                Codec.reply(true, applied.revision()))));
    }

    /** A heartbeat or a handoff: update the inputs, then decide. Ratis's apply thread. */
    private void applyVipEntry(Codec.Entry e, long term, long index) {
        synchronized (lock) {
            if (e.beat() != null) {
                io.duet.cluster.vip.Heartbeat previous = heartbeats.get(e.beat().node());
                if (previous != null && previous.ended() && previous.lifetime() == e.beat().lifetime()) {
                    return; // sent by a process before it ended, committed after its end: it holds nothing now
                }
                boolean ready = previous != null && previous.lifetime() == e.beat().lifetime()
                        && e.beat().appliedIndex() >= previous.index();
                heartbeats.put(e.beat().node(), new io.duet.cluster.vip.Heartbeat(e.leaderTime(), e.beat().held(),
                        e.beat().appliedIndex(), e.beat().lifetime(), index, ready, e.beat().leaseMs(),
                        e.beat().marginMs(), e.beat().leaving(), e.beat().mac()));
            } else if (e.ended() != null) {
                io.duet.cluster.vip.Heartbeat previous = heartbeats.get(e.ended().node());
                if (previous == null || !previous.provenEndedBy(e.ended().secret())) {
                    return; // another process of that node, or told already
                }
                heartbeats.put(e.ended().node(), previous.end(index));
                LOG.info("{} node {} ended: its VIP guardian removed its VIPs and said so; they move "
                        + "now (term {})", NODE_ENDED, e.ended().node(), term);
            } else if (e.handoff() != null) {
                table = table.withDrained(e.handoff().node(), e.handoff().drain());
                LOG.info("{} node {} {} (term {})", HANDOFF, e.handoff().node(),
                        e.handoff().drain() ? "hands its VIPs off" : "takes VIPs again", term);
            }
        }
        decideVips(e.leaderTime(), term, index);
        if (e.beat() != null && e.beat().node().equals(self) && e.beat().lifetime() == lifetime) {
            Codec.Beat b = e.beat();
            notifier.execute(() -> ownHeartbeatListeners.forEach(l -> l.committed(b.sentNanos(), b.leaseMs(),
                    b.marginMs())));
        }
    }

    private void decideVips(long now, long term, long index) {
        io.duet.cluster.vip.VipScheduler.Decision d;
        io.duet.cluster.vip.Ownership before;
        synchronized (lock) {
            before = table;
            long[] t = timers();
            d = new io.duet.cluster.vip.VipScheduler(t[1], t[2]).decide(vips(), heartbeats, table, now, index);
            table = d.ownership();
        }
        for (io.duet.cluster.vip.VipScheduler.Change c : d.changes()) {
            LOG.info("{} VIP {}: {} -> {} (term {}; {})", VIP_HOLDER_CHANGED, c.address(),
                    c.from() == null ? "nobody" : c.from(), c.to() == null ? "nobody" : c.to(), term, c.reason());
        }
        if (!d.ownership().owners().equals(before.owners()) || !d.changes().isEmpty()
                || !d.ownership().releases().equals(before.releases())) {
            io.duet.cluster.vip.Ownership t = d.ownership();
            notifier.execute(() -> ownershipListeners.forEach(l -> l.accept(t, term)));
        }
    }

    @Override
    public void close() throws IOException {
        notifier.shutdown();
        super.close();
    }

    static Revision readLastApplied(Path file) {
        try {
            if (Files.exists(file)) {
                List<Revision> r = Codec.revisions(Files.readAllBytes(file));
                return r.isEmpty() ? Revision.NONE : r.get(0);
            }
        } catch (IOException e) {
            LOG.warn("{} {} does not load ({}); waiting for the cluster", LAST_APPLIED_UNREADABLE, file, e.toString());
        }
        return Revision.NONE;
    }

    /**
     * Replaces {@code file} atomically with {@code bytes}, synced, readable by this user only: the temporary file is
     * created 0600 before anything is written (snapshots and the last-applied copy hold the document, with password
     * hashes and sealed keys). A leftover temporary file of a crash is replaced.
     */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a leftover keeps its mode when reopened: start afresh
        java.nio.file.attribute.FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews()
                .contains("posix") ? new java.nio.file.attribute.FileAttribute<?>[]{
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnly)) {
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
