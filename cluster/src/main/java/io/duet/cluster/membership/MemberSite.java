package io.duet.cluster.membership;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What membership needs to know of this machine: its node id, its data directory, the members' Raft endpoints and
 * the join port, and how the node writes files that hold secrets. The appliance makes it from the node bootstrap.
 *
 * @param clusterMembers  member id to its Raft endpoint {@code host:port} (IPv6 in brackets); empty when standalone
 * @param clusterJoinPort the port of every proxy's join endpoint
 * @param files           how secret files are written (owner-only, atomically)
 */
public record MemberSite(String nodeId, Path dataDir, Map<String, String> clusterMembers, int clusterJoinPort,
                         SecretFiles files) {

    /** Writes a file that holds secrets: readable by its owner only, replaced atomically, synced. */
    @FunctionalInterface
    public interface SecretFiles {
        void write(Path file, byte[] bytes) throws IOException;
    }

    public MemberSite {
        clusterMembers = Map.copyOf(clusterMembers);
    }

    /** True when this node is a member of a cluster (cluster.members is set). */
    public boolean clustered() {
        return !clusterMembers.isEmpty();
    }

    /** This node's Raft endpoint host (from cluster.members): the Raft and join endpoints bind it only. */
    public String clusterHost() {
        return memberHost(clusterMembers.get(nodeId));
    }

    /** The host of a cluster.members entry ("host:port", IPv6 in brackets), without the brackets. */
    public static String memberHost(String hostPort) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
