package io.duet.proxy;

import com.codahale.metrics.MetricRegistry;
import io.duet.proxy.resolve.HostResolver;
import io.duet.proxy.resolve.SystemHostResolver;
import io.duet.tls.CertifiedKey;
import io.duet.tls.KeyVault;

import java.nio.file.Path;

/**
 * Per-node settings of the data plane that are not part of the replicated document.
 *
 * @param dataDir         relative access log paths resolve here
 * @param ioThreads       Undertow I/O threads (0: one per core)
 * @param metrics         registry to record into
 * @param nodeName        names this node in Via and error pages
 * @param keys            opens the sealed private keys of the document; null: only keys in clear load
 * @param nodeCertificate served by https listeners that name no certificate; null: one is issued in memory (for
 *                        tests and tools; the appliance passes the node's persistent one)
 * @param resolver        looks up servers given by host name, on the resolver threads (null: the system's resolver,
 *                        {@link SystemHostResolver}); tests pass their own
 */
public record DataPlaneOptions(Path dataDir, int ioThreads, MetricRegistry metrics, String nodeName, KeyVault keys,
                               CertifiedKey nodeCertificate, HostResolver resolver) {
    public DataPlaneOptions {
        resolver = resolver == null ? SystemHostResolver.INSTANCE : resolver;
    }

    public DataPlaneOptions(Path dataDir, int ioThreads, MetricRegistry metrics, String nodeName, KeyVault keys,
                            CertifiedKey nodeCertificate) {
        this(dataDir, ioThreads, metrics, nodeName, keys, nodeCertificate, null);
    }

    /** These options with another resolver for servers given by host name. */
    public DataPlaneOptions withResolver(HostResolver hostResolver) {
        return new DataPlaneOptions(dataDir, ioThreads, metrics, nodeName, keys, nodeCertificate, hostResolver);
    }

    public DataPlaneOptions(Path dataDir, int ioThreads, MetricRegistry metrics, String nodeName) {
        this(dataDir, ioThreads, metrics, nodeName, null, null);
    }

    public static DataPlaneOptions defaults() {
        return new DataPlaneOptions(Path.of("duet-data"), 0, new MetricRegistry(), "duet");
    }
}
