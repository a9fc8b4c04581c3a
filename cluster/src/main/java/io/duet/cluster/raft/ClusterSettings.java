package io.duet.cluster.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static io.duet.cluster.message.ClusterMessage.GROUP_SIZE;
import static io.duet.cluster.message.ClusterMessage.NOT_IN_MEMBERS;

/**
 * One member's view of the group.
 *
 * @param nodeId            this member (a key of {@code members})
 * @param members           node id -> "host:port" of its Raft endpoint, for every voter (1, 3 or 5); this node
 *                          binds its own entry's host only, never the wildcard
 * @param dataDir           the node's data directory (Raft log and snapshots in {@code raft/}, last-applied file)
 * @param electionMin       election timeout range: a follower that hears nothing from a leader for a random time in
 *                          it stands for election. Short: Ratis's follower checks after each random timeout whether
 *                          it heard from the leader within it, so a lost leader is noticed after one to two timeouts,
 *                          and the other proxy's heartbeats must commit again well within its lease (with 300-600 ms a
 *                          follower noticed 765 ms after the leader's death and the other proxy fenced itself). On a
 *                          LAN a round trip is well under a millisecond. Default: {@link #staggered} ranges, one per
 *                          member, that do not overlap, so two members never stand at the same moment (a split
 *                          vote between the two proxies cost another timeout and a proxy's VIP, in the lab)
 * @param electionMax       see electionMin
 * @param historySize       committed revisions kept for diff and rollback (default 100)
 * @param snapshotThreshold log entries between snapshots (the log is purged behind a snapshot; default 1000)
 * @param leaseMs           a node whose heartbeat is older is not alive and fences itself, unless the document says
 *                          otherwise ({@code timersOf}; default 900)
 * @param marginMs          the others claim its VIPs only after lease + margin (default 300)
 * @param vipsOf            the VIPs a document configures; a pure function (default: none)
 * @param tls               mutual TLS between members (null: plain gRPC, only for a private cluster network)
 * @param timersOf          the failover timers a document sets, {heartbeatMs, leaseMs, marginMs}, or null for
 *                          {@link #DEFAULT_HEARTBEAT_MS}, {@code leaseMs} and {@code marginMs}; a pure function, the
 *                          same on every member (default: none set)
 */
public record ClusterSettings(String nodeId, Map<String, String> members, Path dataDir, Duration electionMin,
                              Duration electionMax, int historySize, long snapshotThreshold, long leaseMs,
                              long marginMs,
                              java.util.function.Function<byte[], java.util.List<io.duet.cluster.vip.VipSpec>> vipsOf,
                              Tls tls, java.util.function.Function<byte[], long[]> timersOf) {
    public static final long DEFAULT_HEARTBEAT_MS = 200;
    public static final long DEFAULT_LEASE_MS = 900;
    public static final long DEFAULT_MARGIN_MS = 300;

    /**
     * A member's TLS material: its key and certificate, and the cluster CA, the only one it trusts. Peers must
     * present a certificate the CA issued (mutual TLS); server names are checked against the member addresses.
     */
    public record Tls(java.security.PrivateKey key, java.security.cert.X509Certificate certificate,
                      java.security.cert.X509Certificate ca) {
    }

    public ClusterSettings(String nodeId, Map<String, String> members, Path dataDir, Duration electionMin,
                           Duration electionMax, int historySize, long snapshotThreshold, long leaseMs, long marginMs,
                           java.util.function.Function<byte[], java.util.List<io.duet.cluster.vip.VipSpec>> vipsOf) {
        this(nodeId, members, dataDir, electionMin, electionMax, historySize, snapshotThreshold, leaseMs, marginMs,
                vipsOf, null, null);
    }

    public ClusterSettings(String nodeId, Map<String, String> members, Path dataDir, Duration electionMin,
                           Duration electionMax, int historySize, long snapshotThreshold, long leaseMs, long marginMs,
                           java.util.function.Function<byte[], java.util.List<io.duet.cluster.vip.VipSpec>> vipsOf,
                           Tls tls) {
        this(nodeId, members, dataDir, electionMin, electionMax, historySize, snapshotThreshold, leaseMs, marginMs,
                vipsOf, tls, null);
    }

    /** The same settings with the failover timers read from each document. */
    public ClusterSettings withTimers(java.util.function.Function<byte[], long[]> t) {
        return new ClusterSettings(nodeId, members, dataDir, electionMin, electionMax, historySize, snapshotThreshold,
                leaseMs, marginMs, vipsOf, tls, t);
    }

    /**
     * The failover timers of {@code document} (null: none committed yet): {heartbeatMs, leaseMs, marginMs}, the
     * defaults where it sets none.
     */
    public long[] timers(byte[] document) {
        long[] t = document == null ? null : timersOf.apply(document);
        return t != null ? t.clone() : new long[] {DEFAULT_HEARTBEAT_MS, leaseMs, marginMs};
    }

    /** The same settings with mutual TLS. */
    public ClusterSettings withTls(Tls t) {
        return new ClusterSettings(nodeId, members, dataDir, electionMin, electionMax, historySize, snapshotThreshold,
                leaseMs, marginMs, vipsOf, t, timersOf);
    }

    public ClusterSettings {
        members = Map.copyOf(new TreeMap<>(members));
        if (electionMin == null || electionMax == null) {
            Duration[] range = staggered(nodeId, members);
            electionMin = electionMin == null ? range[0] : electionMin;
            electionMax = electionMax == null ? range[1] : electionMax;
        }
        historySize = historySize <= 0 ? 100 : historySize;
        snapshotThreshold = snapshotThreshold <= 0 ? 1000 : snapshotThreshold;
        leaseMs = leaseMs <= 0 ? DEFAULT_LEASE_MS : leaseMs;
        marginMs = marginMs < 0 ? DEFAULT_MARGIN_MS : marginMs;
        vipsOf = vipsOf == null ? doc -> java.util.List.of() : vipsOf;
        timersOf = timersOf == null ? doc -> null : timersOf;
        int n = members.size();
        if (n != 1 && n != 3 && n != 5) {
            throw new IllegalArgumentException(GROUP_SIZE + " a group has 1, 3 or 5 voters, not " + n
                    + " (two proxies need a witness as the third: with two voters losing either stops all writes)");
        }
        if (!members.containsKey(nodeId)) {
            throw new IllegalArgumentException(NOT_IN_MEMBERS + " node '" + nodeId + "' is not one of the members "
                    + members.keySet());
        }
    }

    /** The first default election range; each member in id order gets the next one, {@value #STAGGER_MS} ms later. */
    static final long ELECTION_MIN_MS = 300;
    /**
     * The width of one member's default range. A leader also steps down when a majority has not answered within its
     * range's upper end: at least 400 ms, as before the staggering (280 ms made a leader step down when a follower on
     * a loaded machine answered 561 ms late).
     */
    static final long ELECTION_WIDTH_MS = 100;
    static final long STAGGER_MS = 100;

    /**
     * The default election range of {@code nodeId}: with the members sorted by id, the n-th stands after 300 + 100n to
     * 400 + 100n ms without a leader (three members: 300-400, 400-500, 500-600 ms). Ranges that do not overlap make
     * a split vote between two live members as good as impossible: the first one's request for votes reaches the other
     * long before that one's own timeout. Every member computes the same ranks from the same member list.
     */
    static Duration[] staggered(String nodeId, Map<String, String> members) {
        int rank = new java.util.ArrayList<>(new java.util.TreeSet<>(members.keySet())).indexOf(nodeId);
        long min = ELECTION_MIN_MS + STAGGER_MS * Math.max(0, rank);
        return new Duration[]{Duration.ofMillis(min), Duration.ofMillis(min + ELECTION_WIDTH_MS)};
    }

    public ClusterSettings(String nodeId, Map<String, String> members, Path dataDir) {
        this(nodeId, members, dataDir, null, null, 0, 0, 0, -1, null);
    }

    public ClusterSettings(String nodeId, Map<String, String> members, Path dataDir, Duration electionMin,
                           Duration electionMax, int historySize, long snapshotThreshold) {
        this(nodeId, members, dataDir, electionMin, electionMax, historySize, snapshotThreshold, 0, -1, null);
    }
}
