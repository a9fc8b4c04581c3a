package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.Node;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real node for a test, on 127.0.0.1 only, every port 0, configured by its environment (no bootstrap file). */
final class LoopbackNodes {
    private LoopbackNodes() {
    }

    /**
     * The environment of a node named {@code nodeId} in {@code dataDir} listening on 127.0.0.1 only, every port 0
     * (proxy, TLS, management, admin), with {@code ioThreads} I/O threads. Mutable: a test adds its own keys.
     */
    static Map<String, String> env(String nodeId, Path dataDir, int ioThreads) {
        return new HashMap<>(Map.of(
                "DUET_NODE_ID", nodeId,
                "DUET_DATA_DIR", dataDir.toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_ADMIN_ADDRESS", "127.0.0.1",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", String.valueOf(ioThreads)));
    }

    /** Starts a node from {@code env} (no bootstrap file), not in demo mode. */
    static Node start(Map<String, String> env) throws StartupException {
        return Node.start(BootstrapReader.read(null, Path.of(env.get("DUET_DATA_DIR")).resolve("absent.properties"),
                env), false);
    }
}
