package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
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

    /** A client of the group whose voters are {@code members} (id -> host:port). */
    public static ClusterClient connect(Map<String, String> members) {
        List<RaftPeer> peers = new ArrayList<>();
        members.forEach((id, address) -> peers.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
        RaftProperties p = new RaftProperties();
        RaftClient c = RaftClient.newBuilder()
                .setProperties(p)
                .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP, peers))
                .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(ClientId.randomId(), p))
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

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a client: nothing to report
        }
    }
}
