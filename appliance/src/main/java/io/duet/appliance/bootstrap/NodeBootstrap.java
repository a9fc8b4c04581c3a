package io.duet.appliance.bootstrap;

import io.duet.cluster.membership.MemberSite;
import io.duet.config.store.PrivateFile;

import java.nio.file.Path;

/**
 * The node bootstrap: the per-machine settings that are never replicated, read once at start from
 * {@code /etc/duet/duet.properties} (or {@code --config FILE}) with {@code DUET_*} environment overrides.
 * See {@link BootstrapReader} and the commented {@code duet.properties} resource for the keys.
 *
 * @param nodeId            names this node in logs, metrics and Via headers
 * @param dataDir           absolute; holds the configuration document, logs and (later) the Raft log
 * @param configFile        absolute path of the appliance configuration document
 * @param proxyAddress      bind address of the {@code http} listener in a generated document
 * @param proxyPort         port of that listener (0: any free port, for tests)
 * @param proxyTlsPort      port of the {@code https} listener in a generated document (0: any free port)
 * @param managementAddress bind address of the management (metrics) server
 * @param managementPort    its port (0: any free port, for tests)
 * @param ioThreads         Undertow I/O threads; 0 is one per core
 * @param logLevel          level of Duet's own loggers: TRACE, DEBUG, INFO, WARN, ERROR or OFF
 * @param clusterMembers    node id -> Raft endpoint host:port of every voter; empty: standalone (the file store)
 * @param clusterInterface  the interface floating IPs live on; null: this node holds no VIPs (a witness)
 * @param clusterJoinPort   port of this node's join endpoint (HTTPS, on its cluster.members host)
 * @param adminAddress      bind address of the admin listener (web UI and REST API, HTTPS)
 * @param adminPort         its port (0: any free port, for tests)
 * @param historyPeriodMs   interval of the traffic history kept for the admin dashboard (720 samples)
 * @param source            where the values came from, for the startup banner
 */
public record NodeBootstrap(
        String nodeId,
        Path dataDir,
        Path configFile,
        String proxyAddress,
        int proxyPort,
        int proxyTlsPort,
        String managementAddress,
        int managementPort,
        int ioThreads,
        String logLevel,
        String source,
        java.util.Map<String, String> clusterMembers,
        String clusterInterface,
        int clusterJoinPort,
        String adminAddress,
        int adminPort,
        int historyPeriodMs) {

    /** An address that means "every interface" (0.0.0.0, ::), not one a client can connect to or a name. */
    public static boolean isWildcard(String address) {
        return java.util.Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0").contains(address);
    }

    /** True when the node is a member of a Raft group (cluster.members set). */
    public boolean clustered() {
        return !clusterMembers.isEmpty();
    }

    /** This node's Raft endpoint host (from cluster.members): the Raft and join endpoints bind it only. */
    public String clusterHost() {
        return site().clusterHost();
    }

    /** What membership (identity, join, tokens) needs of this machine; secret files written 0600, atomically. */
    public MemberSite site() {
        return new MemberSite(nodeId, dataDir, clusterMembers, clusterJoinPort, PrivateFile::write);
    }

    /** Where the demo document is generated on every {@code run --demo}. */
    public Path demoConfigFile() {
        return dataDir.resolve("demo-config.json");
    }

}
