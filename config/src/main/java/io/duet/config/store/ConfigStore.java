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
     * Validates and commits {@code proposed} if the current revision is still {@code baseRevision}; the committed
     * document gets revision {@code baseRevision + 1}.
     *
     * @throws InvalidConfigException  the document has errors; nothing was committed
     * @throws RevisionConflictException someone else committed first; nothing was committed
     */
    DuetConfig propose(DuetConfig proposed, long baseRevision)
            throws InvalidConfigException, RevisionConflictException;

    @Override
    void close();
}
