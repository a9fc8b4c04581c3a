package io.duet.config.store;

import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;

import java.util.function.Consumer;

/**
 * Where the committed configuration document lives. A standalone implementation (a watched file) and, with the
 * cluster module, a replicated one stand behind this interface. Every committed document is valid.
 */
public interface ConfigStore extends AutoCloseable {

    /** The latest committed document. */
    DuetConfig current();

    /**
     * Calls {@code listener} with every document committed after this call, in revision order, on a store thread
     * (never an I/O thread). A listener that throws is logged and does not stop later calls.
     */
    void subscribe(Consumer<DuetConfig> listener);

    /**
     * What {@link #propose} would report about {@code proposed} as the successor of the document in force: the
     * document's rules and the material checks of its new and changed certificates (the store's
     * {@link io.duet.config.ProposalValidator}), errors first. Commits nothing: the admin API's dry run. May block
     * briefly (key checks); not on I/O threads.
     */
    java.util.List<io.duet.config.Violation> validate(DuetConfig proposed);

    /**
     * Validates (as {@link #validate}) and commits {@code proposed} if the current revision is still
     * {@code baseRevision}; the committed document gets revision {@code baseRevision + 1}.
     *
     * @throws InvalidConfigException  the document has errors; nothing was committed
     * @throws RevisionConflictException someone else committed first; nothing was committed
     */
    DuetConfig propose(DuetConfig proposed, long baseRevision)
            throws InvalidConfigException, RevisionConflictException;

    /**
     * As {@link #propose(DuetConfig, long)}, recording who made the change and why (in the history; the cluster
     * store replicates both). Stores without attribution ignore them.
     */
    default DuetConfig propose(DuetConfig proposed, long baseRevision, String author, String summary)
            throws InvalidConfigException, RevisionConflictException {
        return propose(proposed, baseRevision);
    }

    /** One committed revision: the document, who committed it, when (epoch ms, 0 unknown) and the summary. */
    record Commit(DuetConfig config, String author, long timeMs, String summary) {
    }

    /** The committed revisions this store keeps, newest first (at least the current one). */
    default java.util.List<Commit> commits() {
        return java.util.List.of(new Commit(current(), null, 0, null));
    }

    /**
     * Whether this store replicates an audit trail with the configuration ({@link #appendAudit}); a standalone store
     * does not (the admin layer keeps its local audit file).
     */
    default boolean replicatesAudit() {
        return false;
    }

    /**
     * Appends one audit record (opaque bytes, at most 16 KiB) to the trail kept with the configuration on every
     * node. Completes when committed; exceptionally when there is no quorum.
     */
    default java.util.concurrent.CompletableFuture<Void> appendAudit(byte[] record) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this store keeps no audit trail"));
    }

    /** The newest {@code max} replicated audit records, newest first (empty when {@link #replicatesAudit} is false). */
    default java.util.List<byte[]> auditTrail(int max) {
        return java.util.List.of();
    }

    @Override
    void close();
}
