package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of the group for tools (`duet config export/import`): reads the current revision (linearizable, through
 * the leader) and proposes new ones. Blocking; not for I/O threads.
 */
public final class ClusterClient implements AutoCloseable {
    private final RaftClient client;

    private ClusterClient(RaftClient client) {
        this.client = client;
    }

    /** A client of the group whose voters are {@code members} (id -> host:port), over plain gRPC. */
    public static ClusterClient connect(Map<String, String> members) {
        return connect(members, null);
    }

    /**
     * A client of the group whose voters are {@code members} (id -> host:port); with {@code tls}, over mutual TLS
     * with that member identity (a member's tools use the member's own certificate).
     */
    public static ClusterClient connect(Map<String, String> members, ClusterSettings.Tls tls) {
        List<RaftPeer> peers = new ArrayList<>();
        members.forEach((id, address) -> peers.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
        RaftProperties p = new RaftProperties();
        RaftClient c = RaftClient.newBuilder()
                .setProperties(p)
                .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP, peers))
                .setClientRpc(new GrpcFactory(ClusterNode.tlsParameters(tls)).newRaftClientRpc(ClientId.randomId(), p))
                .build();
        return new ClusterClient(c);
    }

    /** The committed current revision (asks the leader). */
    public Revision current() throws IOException {
        RaftClientReply r = client.io().sendReadOnly(Message.EMPTY);
        if (!r.isSuccess()) {
            throw new IOException("DUET-CLUSTER-0021 the cluster did not answer: " + r.getException());
        }
        List<Revision> revs = Codec.revisions(r.getMessage().getContent().toByteArray());
        return revs.isEmpty() ? Revision.NONE : revs.get(0);
    }

    /**
     * Commits a new document on top of {@code baseRevision}.
     *
     * @throws StaleRevisionException someone committed another revision first
     */
    public long propose(long baseRevision, byte[] document, String author, String summary) throws IOException {
        RaftClientReply r = client.io().send(Message.valueOf(ByteString.copyFrom(
                Codec.proposal(baseRevision, document, author, summary))));
        if (!r.isSuccess()) {
            throw new IOException("DUET-CLUSTER-0020 the proposal failed: " + r.getException());
        }
        Codec.Reply reply = Codec.reply(r.getMessage().getContent().toByteArray());
        if (!reply.ok()) {
            throw new StaleRevisionException(baseRevision, reply.revision());
        }
        return reply.revision();
    }

    /** One member as it answers for itself, or unreachable. */
    public record Member(String id, String role, long term, long commitIndex, long appliedIndex, boolean reachable,
                         String problem) {
    }

    /**
     * The group: every member's role, term, commit and applied index (asked one by one), and, through the leader,
     * the committed revision, VIP owners and the age of each node's last heartbeat (against the leader's clock).
     */
    public record View(List<Member> members, String leader, long revision, Map<String, String> vipOwners,
                       Map<String, Long> heartbeatAgeMs, Map<String, java.util.Set<String>> heldVips,
                       java.util.Set<String> handedOff) {
    }

    /**
     * Planned failover: {@code node}'s VIPs move to the other proxies (through "no holder" until it reports it let
     * go), or, with {@code drain} false, it takes VIPs again (failback rules apply).
     */
    public void handoff(String node, boolean drain) throws IOException {
        RaftClientReply r = client.io().send(Message.valueOf(ByteString.copyFrom(Codec.handoff(node, drain))));
        if (!r.isSuccess()) {
            throw new IOException("DUET-CLUSTER-0020 the handoff was not committed: " + r.getException());
        }
    }

    public View status(Map<String, String> members) throws IOException {
        List<Member> out = new ArrayList<>();
        String leader = null;
        for (String id : new java.util.TreeSet<>(members.keySet())) {
            try {
                org.apache.ratis.protocol.GroupInfoReply info = client.getGroupManagementApi(
                        org.apache.ratis.protocol.RaftPeerId.valueOf(id)).info(ClusterNode.GROUP);
                var role = info.getRoleInfoProto().getRole().name();
                var log = info.getLogInfoProto();
                out.add(new Member(id, role, log.getLastEntry().getTerm(), log.getCommitted().getIndex(),
                        log.getApplied().getIndex(), true, null));
                if ("LEADER".equals(role)) {
                    leader = id;
                }
            } catch (IOException | RuntimeException e) {
                out.add(new Member(id, "UNREACHABLE", -1, -1, -1, false, e.getMessage()));
            }
        }
        RaftClientReply r = client.io().sendReadOnly(Message.valueOf(ByteString.copyFrom(
                new byte[]{Codec.STATUS_QUERY})));
        if (!r.isSuccess()) {
            throw new IOException("DUET-CLUSTER-0021 the cluster did not answer: " + r.getException());
        }
        java.nio.ByteBuffer b = r.getMessage().getContent().asReadOnlyByteBuffer();
        long revision = b.getLong();
        long now = b.getLong();
        byte[] vip = new byte[b.remaining()];
        b.get(vip);
        Codec.VipState state = Codec.vipState(vip);
        Map<String, Long> ages = new java.util.TreeMap<>();
        Map<String, java.util.Set<String>> held = new java.util.TreeMap<>();
        state.beats().forEach((node, hb) -> {
            ages.put(node, now - hb.time());
            held.put(node, hb.held());
        });
        return new View(out, leader, revision, state.table().owners(), ages, held, state.table().drained());
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a client: nothing to report
        }
    }
}
