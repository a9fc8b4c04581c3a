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

import static io.duet.cluster.message.ClusterMessage.NO_ANSWER;
import static io.duet.cluster.message.ClusterMessage.PROPOSAL_FAILED;

/**
 * A client of the group for tools (`duet config export/import`, `cluster status`, `status`, `backup`): reads the
 * current revision (linearizable, through the leader) and proposes new ones. Every call answers within
 * {@link #DEADLINE_MS} (plus one request timeout per member for {@link #status}): without a quorum it fails with
 * {@code DUET-CLUSTER-0021}/{@code 0020} instead of retrying for ever, which Ratis's default client policy does (a CLI
 * command without quorum never returned and burned most of a core). A proposal that timed out may still commit
 * later: the caller says the outcome is unknown. Blocking; not for I/O threads.
 */
public final class ClusterClient implements AutoCloseable {
    /** The longest a call waits for the group. */
    public static final long DEADLINE_MS = 10_000;
    /** One request to one member. */
    static final long REQUEST_TIMEOUT_MS = 2_000;

    private final RaftClient client;

    private ClusterClient(RaftClient client) {
        this.client = client;
    }

    /** A blocking call of the client. */
    @FunctionalInterface
    private interface Call {
        RaftClientReply send() throws IOException;
    }

    /**
     * The reply of a blocking call, waited for at most {@link #DEADLINE_MS} (the call runs on a daemon thread and is
     * abandoned after that). Blocking, not the async API: Ratis's ordered async client logs an ERROR line for every
     * NotLeaderException on its way to the leader, which the operator would see under a command that succeeded.
     */
    private static RaftClientReply within(Call call, String what) throws IOException {
        java.util.concurrent.CompletableFuture<RaftClientReply> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.send());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "duet-cluster-call");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            t.interrupt();
            throw new IOException(what + ": no answer within " + DEADLINE_MS / 1000 + " s (no quorum, or no member "
                    + "reachable)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted", e);
        }
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
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p,
                org.apache.ratis.util.TimeDuration.valueOf(REQUEST_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
        RaftClient c = RaftClient.newBuilder()
                .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) (DEADLINE_MS / REQUEST_TIMEOUT_MS), org.apache.ratis.util.TimeDuration.valueOf(100,
                                java.util.concurrent.TimeUnit.MILLISECONDS)))
                .setProperties(p)
                .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP, peers))
                .setClientRpc(new GrpcFactory(ClusterNode.tlsParameters(tls)).newRaftClientRpc(ClientId.randomId(), p))
                .build();
        return new ClusterClient(c);
    }

    /** The committed current revision (asks the leader). */
    public Revision current() throws IOException {
        RaftClientReply r = within(() -> client.io().sendReadOnly(Message.EMPTY),
                NO_ANSWER + " the cluster did not answer");
        if (!r.isSuccess()) {
            throw new IOException(NO_ANSWER + " the cluster did not answer: " + r.getException());
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
        RaftClientReply r = within(() -> client.io().send(Message.valueOf(ByteString.copyFrom(
                Codec.proposal(baseRevision, document, author, summary)))),
                PROPOSAL_FAILED + " the proposal was not confirmed (it may still commit: read the revision again)");
        if (!r.isSuccess()) {
            throw new IOException(PROPOSAL_FAILED + " the proposal failed: " + r.getException());
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
     * The group: every member's role, term, commit and applied index (each asked directly), and, through the leader,
     * the committed revision, VIP owners and the age of each node's last heartbeat (against the leader's clock).
     * Without an answer from a leader: the members as they answered, revision -1 and {@code problem} saying why.
     */
    public record View(List<Member> members, String leader, long revision, Map<String, String> vipOwners,
                       Map<String, Long> heartbeatAgeMs, Map<String, java.util.Set<String>> heldVips,
                       java.util.Set<String> handedOff, String problem) {
    }

    /**
     * Planned failover: {@code node}'s VIPs move to the other proxies (through "no holder" until it reports it let
     * go), or, with {@code drain} false, it takes VIPs again (failback rules apply).
     */
    public void handoff(String node, boolean drain) throws IOException {
        RaftClientReply r = within(() -> client.io().send(Message.valueOf(ByteString.copyFrom(
                Codec.handoff(node, drain)))),
                PROPOSAL_FAILED + " the handoff was not confirmed");
        if (!r.isSuccess()) {
            throw new IOException(PROPOSAL_FAILED + " the handoff was not committed: " + r.getException());
        }
    }

    public View status(Map<String, String> members) throws IOException {
        List<Member> out = new ArrayList<>();
        String leader = null;
        // every member asked at once, each answer waited for within the deadline (a silent member is unreachable)
        Map<String, java.util.concurrent.CompletableFuture<Member>> asked = new java.util.TreeMap<>();
        for (String id : members.keySet()) {
            asked.put(id, java.util.concurrent.CompletableFuture.supplyAsync(() -> member(id)));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        for (var e : asked.entrySet()) {
            Member m;
            try {
                m = e.getValue().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
                m = new Member(e.getKey(), "UNREACHABLE", -1, -1, -1, false, "no answer within "
                        + DEADLINE_MS / 1000 + " s");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
            out.add(m);
            if ("LEADER".equals(m.role())) {
                leader = m.id();
            }
        }
        RaftClientReply r;
        try {
            r = within(() -> client.io().sendReadOnly(Message.valueOf(ByteString.copyFrom(
                    new byte[]{Codec.STATUS_QUERY}))), NO_ANSWER + " the cluster did not answer");
            if (!r.isSuccess()) {
                throw new IOException(NO_ANSWER + " the cluster did not answer: " + r.getException());
            }
        } catch (IOException e) {
            // what the members said of themselves is still worth showing: no leader answered for the rest
            return new View(out, null, -1, Map.of(), Map.of(), Map.of(), java.util.Set.of(), e.getMessage());
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
        return new View(out, leader, revision, state.table().owners(), ages, held, state.table().drained(), null);
    }

    /** One member as it answers for itself (one request, {@link #REQUEST_TIMEOUT_MS} at most per attempt). */
    private Member member(String id) {
        try {
            org.apache.ratis.protocol.GroupInfoReply info = client.getGroupManagementApi(
                    org.apache.ratis.protocol.RaftPeerId.valueOf(id)).info(ClusterNode.GROUP);
            var log = info.getLogInfoProto();
            return new Member(id, info.getRoleInfoProto().getRole().name(), log.getLastEntry().getTerm(),
                    log.getCommitted().getIndex(), log.getApplied().getIndex(), true, null);
        } catch (IOException | RuntimeException e) {
            return new Member(id, "UNREACHABLE", -1, -1, -1, false, e.getMessage());
        }
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
