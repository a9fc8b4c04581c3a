package io.duet.appliance.pair;

import io.duet.cluster.raft.ClusterNode;
import io.duet.cluster.raft.Revision;
import io.duet.cluster.raft.StaleRevisionException;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.ProposalValidator;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.RevisionConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static io.duet.appliance.bootstrap.ApplianceMessage.COMMIT_FAILED;
import static io.duet.appliance.bootstrap.ApplianceMessage.NOT_APPLIED_IN_TIME;
import static io.duet.appliance.bootstrap.ApplianceMessage.RETRY_COMMITTED;
import static io.duet.appliance.bootstrap.ApplianceMessage.REVISION_UNDECODABLE;

/**
 * The configuration store of a cluster member: the document is the Raft-replicated one ({@link ClusterNode});
 * the revision is the cluster's. Before the cluster has committed anything the node serves {@code initial} (the
 * embedded default), and {@link #seed} proposes it as revision 1 (one member wins; the others' proposals are stale).
 * A proposal is validated on this node (the proposer) with the node's {@link ProposalValidator}, certificate material
 * included; a revision applied from the cluster is not validated again (its proposer did; should this node's data
 * plane refuse it, {@code DUET-NODE-0008} says so).
 *
 * <p>Thread-safe. {@link #propose} blocks up to 10 s for the commit: call it off I/O threads.
 */
public final class ClusterConfigStore implements ConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfigStore.class);

    private final ClusterNode node;
    private final String author;
    private final ProposalValidator validator;
    private final List<Consumer<DuetConfig>> subscribers = new CopyOnWriteArrayList<>();
    private volatile DuetConfig current;
    /** The thread that applies revisions (the member's notifier): a subscriber proposing there must not wait. */
    private volatile Thread applier;

    public ClusterConfigStore(ClusterNode node, DuetConfig initial, String author, ProposalValidator validator) {
        this.node = node;
        this.author = author;
        this.validator = validator;
        Revision r = node.current();
        this.current = r.revision() == 0 ? initial.withRevision(0) : decode(r);
        node.subscribe(this::applied);
        // A revision applied between reading current() and subscribing would otherwise be missed.
        applied(node.current());
    }

    /** A revision the member applied: served when newer than the current one. Notifier thread (or the constructor). */
    private synchronized void applied(Revision rev) {
        applier = Thread.currentThread();
        if (rev.revision() <= current.revision()) {
            return;
        }
        DuetConfig c;
        try {
            c = decode(rev);
        } catch (RuntimeException e) {
            LOG.error("{} revision {} from the cluster does not decode ({}); still serving revision "
                    + "{}", REVISION_UNDECODABLE, rev.revision(), e.getMessage(), current.revision());
            return;
        }
        current = c;
        notifyAll(); // proposers waiting to read their own write
        for (Consumer<DuetConfig> s : subscribers) {
            try {
                s.accept(c);
            } catch (RuntimeException e) {
                LOG.error("a configuration subscriber failed on revision {}: {}", c.revision(), e.toString(), e);
            }
        }
    }

    /** A revision's document (the JSON the cluster replicates) with the cluster's revision number. */
    public static DuetConfig document(Revision r) throws InvalidConfigException {
        return ConfigCodec.decode(new String(r.document(), StandardCharsets.UTF_8), ConfigCodec.Format.JSON)
                .withRevision(r.revision());
    }

    private static DuetConfig decode(Revision r) {
        try {
            return document(r);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Proposes the initial document as revision 1 when the cluster has none (retried until a leader answers). */
    public void seed(DuetConfig initial) {
        Thread t = new Thread(() -> {
            for (int attempt = 0; attempt < 600 && node.current().revision() == 0; attempt++) {
                try {
                    node.propose(0, ConfigCodec.encode(initial, ConfigCodec.Format.JSON)
                            .getBytes(StandardCharsets.UTF_8), author, "initial document").get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StaleRevisionException) {
                        return; // another member seeded it
                    }
                } catch (TimeoutException e) {
                    // no leader yet
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "duet-cluster-seed");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public DuetConfig current() {
        return current;
    }

    @Override
    public List<Violation> validate(DuetConfig proposed) {
        return validator.validate(proposed, current);
    }

    @Override
    public void subscribe(Consumer<DuetConfig> listener) {
        subscribers.add(listener);
    }

    @Override
    public DuetConfig propose(DuetConfig proposed, long baseRevision)
            throws InvalidConfigException, RevisionConflictException {
        return propose(proposed, baseRevision, null, null);
    }

    /** The committed revisions the cluster keeps (100 by default), newest first, with author, time and summary. */
    @Override
    public java.util.List<Commit> commits() {
        java.util.List<Commit> out = new java.util.ArrayList<>();
        for (Revision r : node.history()) {
            try {
                out.add(new Commit(document(r), r.author(), r.time(), r.summary()));
            } catch (InvalidConfigException | RuntimeException e) {
                LOG.debug("revision {} in the history does not decode: {}", r.revision(), e.toString());
            }
        }
        return out;
    }

    @Override
    public DuetConfig propose(DuetConfig proposed, long baseRevision, String by, String summary)
            throws InvalidConfigException, RevisionConflictException {
        validator.requireValid(proposed, current);
        byte[] bytes = ConfigCodec.encode(proposed.withRevision(baseRevision + 1), ConfigCodec.Format.JSON)
                .getBytes(StandardCharsets.UTF_8);
        try {
            Revision r = node.propose(baseRevision, bytes, by == null ? author : by + "@" + author,
                    summary == null ? "revision " + (baseRevision + 1) : summary).get(10, TimeUnit.SECONDS);
            awaitApplied(r.revision());
            return proposed.withRevision(r.revision());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleRevisionException s) {
                DuetConfig ours = ownRetry(bytes, baseRevision, s.current(), proposed);
                if (ours != null) {
                    return ours;
                }
                throw new RevisionConflictException(baseRevision, s.current());
            }
            throw new IllegalStateException(COMMIT_FAILED + " the cluster did not commit the revision: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(COMMIT_FAILED + " the cluster did not commit the revision within 10 s "
                    + "(no quorum?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(COMMIT_FAILED + " interrupted", e);
        }
    }

    /**
     * Read your own writes: the leader answers once the revision is committed, which may be before this member has
     * applied it. Waits (up to 5 s) until {@link #current} serves it, so the caller's next read on this node (the
     * admin API's next request, a session checked against the new password hash) sees its own change. Not on the
     * applying thread itself, which applies the revision only after its subscriber returns.
     */
    private synchronized void awaitApplied(long revision) throws InterruptedException {
        if (Thread.currentThread() == applier) {
            return; // a subscriber's own proposal (key sealing): it is applied after this call returns
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (current.revision() < revision) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.warn("{} revision {} is committed but this member has not applied it within 5 s "
                        + "(serving {})", NOT_APPLIED_IN_TIME, revision, current.revision());
                return;
            }
            wait(left);
        }
    }

    /**
     * A stale answer can be about our own proposal: the client retried a request whose first attempt was committed
     * (its reply lost), and the retry, applied as a new entry, found its own revision in place. When revision
     * {@code base + 1} carries exactly our bytes, the proposal was committed. Waits up to 2 s for this member to
     * apply it.
     */
    private DuetConfig ownRetry(byte[] bytes, long base, long clusterCurrent, DuetConfig proposed) {
        if (clusterCurrent < base + 1) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (node.current().revision() < base + 1 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // waiting for this member's apply; bounded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        for (Revision r : node.history()) {
            if (r.revision() == base + 1 && java.util.Arrays.equals(r.document(), bytes)) {
                LOG.info("{} revision {} is this proposal (committed once, its retry refused)", RETRY_COMMITTED,
                        r.revision());
                return proposed.withRevision(r.revision());
            }
        }
        return null;
    }

    @Override
    public boolean replicatesAudit() {
        return true;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> appendAudit(byte[] record) {
        return node.audit(record);
    }

    @Override
    public java.util.List<byte[]> auditTrail(int max) {
        return node.auditTrail(max).stream().map(java.util.Map.Entry::getValue).toList();
    }

    @Override
    public void close() {
        node.close();
    }
}
