package io.duet.proxy;

import com.codahale.metrics.MetricRegistry;

import java.nio.file.Path;

/**
 * Per-node settings of the data plane that are not part of the replicated document.
 *
 * @param dataDir   relative access log paths resolve here
 * @param ioThreads Undertow I/O threads (0: one per core)
 * @param metrics   registry to record into
 * @param nodeName  names this node in Via and error pages
 */
public record DataPlaneOptions(Path dataDir, int ioThreads, MetricRegistry metrics, String nodeName) {
    public static DataPlaneOptions defaults() {
        return new DataPlaneOptions(Path.of("duet-data"), 0, new MetricRegistry(), "duet");
    }
}
