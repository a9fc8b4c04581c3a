package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.duet.cluster.message.ClusterMessage.MEMBER_CLOSE_FAILED;
import static io.duet.cluster.message.ClusterMessage.MEMBER_STARTED;
import static io.duet.cluster.message.ClusterMessage.MEMBER_START_FAILED;
import static io.duet.cluster.message.ClusterMessage.PROPOSAL_FAILED;

/**
 * A member of the Raft group that replicates the configuration document (Apache Ratis over gRPC). Start one per
 * node; {@link #propose} from any member is routed to the leader; every member applies committed revisions and
 * tells its subscribers. {@link #current} answers at once, also before any leader exists (the last revision this
 * node applied, from its disk), so losing quorum never stops the data plane.
 *
 * <p>Thread-safe. {@link #propose} returns at once; its future completes when the revision is committed (or
 * refused as stale, or fails when no quorum answers within the client's retries).
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** The group's id: the same on every member of every Duet cluster (one group per process). */
    static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
            "duet-configuration".getBytes(StandardCharsets.US_ASCII)));

    private final ClusterSettings settings;
    private final DocumentStateMachine machine;
    private final RaftServer server;
    /** Proposals, handoffs and audit records: requests to a silent member time out after 500 ms. */
    private final LeaderClient client;
    /**
     * Heartbeats get their own client: its requests are ordered among themselves only (a configuration write stuck on
     * a vanished leader does not hold them up), and it gives up on a silent leader after 250 ms, one heartbeat
     * interval, so a surviving proxy finds the new leader well within its 1 s lease.
     */
    private final LeaderClient beats;
    private final RaftGroup group;
    /** Messages to and from the other members outside the log (see {@link PeerChannel}). */
    private final PeerChannel peers;
    /** Builds every client of this member (see the constructor). */
    private final GrpcFactory rpc;
    private volatile WitnessLeadership witnessLeadership;
    private final LeaderWatch leaderWatch;
    private final StuckFollowerWatch stuckFollowerWatch;
    /** Watches unanswered requests for a leader change (see {@link LeaderClient#send}). */
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duet-cluster-requests");
                t.setDaemon(true);
                return t;
            });

    private ClusterNode(ClusterSettings settings, DocumentStateMachine machine, RaftServer server, RaftGroup group,
                        PeerChannel peers) {
        this.settings = settings;
        this.peers = peers;
        this.machine = machine;
        this.server = server;
        this.group = group;
        // A request to a leader that just vanished (cable cut, kill -9) waits this long before the client tries
        // another member. Ratis's default (3 s) left heartbeats uncommitted for 3 s after a leader loss, past the
        // 1 s lease, so both proxies fenced (seen in the randomized fault run). Retries keep their call id: the
        // leader's retry cache makes them idempotent.
        // One factory, so one set of TLS contexts, for every client of this member: building a client with its own
        // contexts took 30 ms on a quiet machine and 0.4-1.6 s on a loaded one, and a heartbeat client spent by a
        // failure waited that long for its replacement (a lab run: a proxy fenced 0.9 s after a leadership transfer
        // to the witness). With the contexts shared, a client is built in about 0.1 ms.
        this.rpc = new GrpcFactory(tlsParameters(settings.tls()));
        this.client = new LeaderClient("proposals", leader -> newClient(rpc, group, 500, leader, null),
                this::knownLeader, false, ClusterNode::warm);
        // Heartbeats go to the leader this member knows, and only there (HeartbeatRetryPolicy): each client's group
        // lists that member alone. Until a leader is known, a client of the whole group finds it.
        this.beats = new LeaderClient("heartbeats", leader -> leader == null
                ? newClient(rpc, group, 250, null, null)
                : newClient(rpc, only(group, leader), 250, leader, HeartbeatRetryPolicy.INSTANCE),
                this::knownLeader, true, ClusterNode::warm);
        List<RaftPeerId> ids = group.getPeers().stream().map(RaftPeer::getId).toList();
        client.prepare(ids);
        beats.prepare(ids);
        reconnector.scheduleWithFixedDelay(this::reconnectSilentPeers, CHECK_MS, CHECK_MS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        this.leaderWatch = new LeaderWatch(this, settings.nodeId(), settings.members());
        this.stuckFollowerWatch = new StuckFollowerWatch(this, settings.nodeId());
    }

    /** A member silent this long gets a fresh connection (see {@link #reconnectSilentPeers}). */
    static final long SILENT_MS = 2_000;
    /**
     * A leader rebuilds its connection to a follower silent this long, at most every {@link #FOLLOWER_RESET_EVERY_MS}:
     * a follower being repaired after a partition or a restart answers slowly, and closing its connection every 2 s
     * cancelled the repair each time (a CI lab run: a proxy never caught up after its cable was cut, and the leader's
     * appends to it went on failing with INCONSISTENCY for minutes).
     */
    static final long FOLLOWER_SILENT_MS = 5_000;
    static final long FOLLOWER_RESET_EVERY_MS = 15_000;
    /** How often the reconnector looks. */
    static final long CHECK_MS = 500;
    /** Closing a connection can block (a gRPC channel's shutdown): its own thread. */
    private final java.util.concurrent.ScheduledExecutorService reconnector =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duet-cluster-reconnect");
                t.setDaemon(true);
                return t;
            });

    /** When each member's connection was last rebuilt (nanoTime). Reconnector thread only. */
    private final Map<RaftPeerId, Long> lastReset = new java.util.HashMap<>();
    /** Since when this member has known no leader (nanoTime), 0: it knows one. Reconnector thread only. */
    private long leaderlessSince;

    /** How long (ms) this member has known no leader, as of this check. */
    private long leaderlessFor(boolean leaderless) {
        long now = System.nanoTime();
        if (!leaderless) {
            leaderlessSince = 0;
            return 0;
        }
        if (leaderlessSince == 0) {
            leaderlessSince = now;
        }
        return (now - leaderlessSince) / 1_000_000;
    }

    /**
     * Every {@value #CHECK_MS} ms: the connections to members that have not answered for {@value #SILENT_MS} ms are
     * rebuilt (each at most once per {@value #SILENT_MS} ms). gRPC waits longer and longer between reconnection
     * attempts to a member that is away (up to 2 minutes), and meanwhile refuses every request to it at once: a witness
     * that came back after 12 minutes was refused by a proxy's stale connection for 88 s, while the proxy reached
     * nobody else (the other proxy was down), so there was no quorum and no VIP for 88 s. The leader rebuilds its
     * connections to followers that stopped answering for {@value #FOLLOWER_SILENT_MS} ms (each at most every
     * {@value #FOLLOWER_RESET_EVERY_MS} ms); a member that has known no leader for {@value #SILENT_MS} ms
     * rebuilds all of its connections (not sooner: that would cancel the vote requests of an ordinary election).
     */
    private void reconnectSilentPeers() {
        try {
            var info = server.getDivision(GROUP).getInfo();
            var role = info.getRoleInfoProto();
            java.util.Set<RaftPeerId> silent = new java.util.HashSet<>();
            if (role.hasLeaderInfo()) {
                // This member leads: it is not leaderless. Without this reset a leader that stepped down later
                // counted its leaderless time from before it led, rebuilt every connection at once and cancelled the
                // vote requests of the next ordinary election, again every 2 s: 10.9 s without a leader in the lab.
                leaderlessFor(false);
                for (var f : role.getLeaderInfo().getFollowerInfoList()) {
                    if (f.getLastRpcElapsedTimeMs() > FOLLOWER_SILENT_MS) {
                        silent.add(RaftPeerId.valueOf(f.getId().getId()));
                    }
                }
            } else if (leaderlessFor(info.getLeaderId() == null) > SILENT_MS) {
                // Not during an ordinary election: closing a connection cancels the vote requests on it (a proposal
                // after a leader freeze took 4.1 s instead of under 2 when this ran whenever no leader was known).
                for (String id : settings.members().keySet()) {
                    if (!id.equals(settings.nodeId())) {
                        silent.add(RaftPeerId.valueOf(id));
                    }
                }
            }
            long now = System.nanoTime();
            long every = role.hasLeaderInfo() ? FOLLOWER_RESET_EVERY_MS : SILENT_MS;
            for (RaftPeerId id : silent) {
                Long last = lastReset.get(id);
                if (last != null && (now - last) / 1_000_000 < every) {
                    continue; // at most one new connection per member every SILENT_MS (a leader's: every 15 s)
                }
                lastReset.put(id, now);
                LOG.debug("reconnecting to member {}: silent for {} ms", id, SILENT_MS);
                server.getServerRpc().handleException(id, new IOException("silent for " + SILENT_MS + " ms"), true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("reconnect check: {}", e.toString());
        }
    }

    /**
     * The leader this member knows (from its own division: it learns of a new one from the election), or null; this
     * member itself only once it is ready as leader (a request sent to a leader that is not ready yet is refused and
     * retried through Ratis's timer thread, which a connection shutdown to the vanished leader can block for 3 s: seen
     * as a proposal taking 3.5 s when its own member won the election).
     */
    private RaftPeerId knownLeader() {
        try {
            var info = server.getDivision(GROUP).getInfo();
            if (info.isLeader() && !info.isLeaderReady()) {
                return null;
            }
            return info.getLeaderId();
        } catch (IOException | RuntimeException e) {
            LOG.debug("no leader known: {}", e.toString());
            return null;
        }
    }

    private static boolean exitDisarmed;

    /**
     * Ratis calls System.exit when its server fails to start (a Raft port in use), and its exit utilities install a
     * JVM-wide default uncaught-exception handler that exits the process: either would take the data plane down with
     * it. Turned off once per JVM; the previous default handler is put back. (Found by the cluster helper's
     * port-in-use test.)
     */
    private static synchronized void disarmProcessExit() {
        if (exitDisarmed) {
            return;
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        org.apache.ratis.util.ExitUtils.disableSystemExit();
        org.apache.ratis.util.ExitUtils.setTerminateOnUncaughtException(false);
        Thread.setDefaultUncaughtExceptionHandler(previous);
        exitDisarmed = true;
    }

    /**
     * gRPC parameters: with TLS material, mutual TLS on the member-to-member, client and admin channels, trusting
     * only the cluster CA; without, plain (the Raft port must then be reachable on a private network only).
     */
    /** The Ratis TLS configuration of {@code tls} (mutual), or null for none. */
    static org.apache.ratis.grpc.GrpcTlsConfig tlsConfig(ClusterSettings.Tls tls) {
        return tls == null ? null : new org.apache.ratis.grpc.GrpcTlsConfig(tls.key(), tls.certificate(),
                List.of(tls.ca()), true);
    }

    static Parameters tlsParameters(ClusterSettings.Tls tls) {
        Parameters p = new Parameters();
        if (tls != null) {
            org.apache.ratis.grpc.GrpcTlsConfig c = tlsConfig(tls);
            GrpcConfigKeys.TLS.setConf(p, c);
            GrpcConfigKeys.Server.setTlsConf(p, c);
            GrpcConfigKeys.Client.setTlsConf(p, c);
            GrpcConfigKeys.Admin.setTlsConf(p, c);
        }
        return p;
    }

    /** A client with TLS contexts of its own (tests; a member shares its factory's, see the constructor). */
    static RaftClient newClient(RaftGroup group, long timeoutMs, ClusterSettings.Tls tls, RaftPeerId leader,
                                org.apache.ratis.retry.RetryPolicy retry) {
        return newClient(new GrpcFactory(tlsParameters(tls)), group, timeoutMs, leader, retry);
    }

    private static final java.util.concurrent.atomic.AtomicLong WARM_CALLS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Opens {@code c}'s connection to {@code peer} ahead of need (one group-info request, once, never retried): a
     * spare client taken when {@code peer} becomes the leader then sends at once, instead of first connecting and
     * completing a mutual-TLS handshake with a process that may have just started (a heartbeat to a witness that had
     * led for 60 ms timed out that way in a lab run, after 250 ms). Throws when {@code peer} did not answer.
     */
    static void warm(RaftClient c, RaftPeerId peer) throws IOException {
        c.getClientRpc().sendRequest(new org.apache.ratis.protocol.GroupInfoRequest(c.getId(), peer, GROUP,
                WARM_CALLS.incrementAndGet()));
    }

    /**
     * A client of the group built by {@code rpc} whose requests to a silent member time out after {@code timeoutMs},
     * sending first to {@code leader} (null: the client finds it), retrying as {@code retry} says (null: Ratis's
     * default, which retries forever). With a policy of its own, the client's first request is its own: Ratis otherwise opens every client's ordered window with a "dummy"
     * watch request whose timeout is 10 s and holds every later request until it is answered, so a heartbeat client's
     * first heartbeat to a frozen leader waited 10 s instead of its own timeout.
     */
    static RaftClient newClient(GrpcFactory rpc, RaftGroup group, long timeoutMs, RaftPeerId leader,
                                org.apache.ratis.retry.RetryPolicy retry) {
        RaftProperties p = new RaftProperties();
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p,
                TimeDuration.valueOf(timeoutMs, TimeUnit.MILLISECONDS));
        if (retry != null) {
            org.apache.ratis.client.RaftClientConfigKeys.Async.Experimental.setSendDummyRequest(p, false);
            org.apache.ratis.client.RaftClientConfigKeys.Rpc.setWatchRequestTimeout(p,
                    TimeDuration.valueOf(timeoutMs, TimeUnit.MILLISECONDS));
        }
        RaftClient.Builder b = RaftClient.newBuilder()
                .setProperties(p)
                .setRaftGroup(group)
                .setClientRpc(rpc.newRaftClientRpc(ClientId.randomId(), p));
        if (leader != null) {
            b.setLeaderId(leader);
        }
        if (retry != null) {
            b.setRetryPolicy(retry);
        }
        return b.build();
    }

    /** The group with {@code member} as its only peer (a client aimed there has nobody else to turn to). */
    static RaftGroup only(RaftGroup group, RaftPeerId member) {
        return RaftGroup.valueOf(group.getGroupId(), group.getPeers().stream()
                .filter(p -> p.getId().equals(member)).toList());
    }

    /** Starts this member (binding its Raft endpoint) and its client. Blocks briefly; never waits for a leader. */
    public static ClusterNode start(ClusterSettings s) throws IOException {
        return start(s, null);
    }

    /**
     * Starts this member with a subscriber in place before the log replays (see {@link #subscribe}); it hears no
     * revision older than the one this member serves from disk at start.
     */
    public static ClusterNode start(ClusterSettings s, Consumer<Revision> subscriber) throws IOException {
        disarmProcessExit();
        List<RaftPeer> peers = new ArrayList<>();
        for (Map.Entry<String, String> m : s.members().entrySet()) {
            peers.add(RaftPeer.newBuilder().setId(m.getKey()).setAddress(m.getValue()).build());
        }
        RaftGroup group = RaftGroup.valueOf(GROUP, peers);
        String self = s.members().get(s.nodeId());
        int colon = self.lastIndexOf(':');
        RaftProperties p = new RaftProperties();
        java.nio.file.Path raftDir = s.dataDir().resolve("raft");
        createPrivateDirectory(raftDir);
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, self.substring(0, colon)); // the cluster address only
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(self.substring(colon + 1)));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(s.electionMin().toMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(s.electionMax().toMillis(), TimeUnit.MILLISECONDS));
        // The first election after a start waits longer (1-2 s): members booting together on cold JVMs answer slowly,
        // and short first timeouts made them depose each other in a storm of terms; one such storm left a member
        // whose log Ratis then refused to repair (its leader kept sending "inconsistency" forever). Elections after a
        // leader is lost keep the short range above.
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(
                Math.max(1000, s.electionMin().toMillis()), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(
                Math.max(2000, s.electionMax().toMillis()), TimeUnit.MILLISECONDS));
        // A leader that lost its majority steps down and, by Ratis's default, stands for election again only after
        // 10 s: with three voters and one of them away, that left the other two without a leader for 10 s (seen in
        // the randomized fault run). The usual election range is enough to avoid a flapping leader here.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p,
                TimeDuration.valueOf(s.electionMax().toMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        DocumentStateMachine machine = new DocumentStateMachine(s);
        if (subscriber != null) {
            machine.subscribe(subscriber);
        }
        Parameters params = tlsParameters(s.tls());
        PeerChannel peerChannel = new PeerChannel(s.nodeId(), s.members(), GrpcConfigKeys.TLS.conf(params));
        GrpcConfigKeys.Server.setServicesCustomizer(params, peerChannel.service());
        RaftServer server = RaftServer.newBuilder()
                .setParameters(params)
                .setServerId(RaftPeerId.valueOf(s.nodeId()))
                .setGroup(group)
                .setProperties(p)
                .setStateMachine(machine)
                .setOption(StartupOption.RECOVER)
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException | RuntimeException ignored) {
                // already failing
            }
            throw new IOException(MEMBER_START_FAILED + " the Raft member " + s.nodeId() + " could not start on " + self
                    + " (port in use?): " + e.getMessage(), e);
        }
        LOG.info("{} member {} started on {} (group of {}: {}); serving revision {} until the "
                + "cluster answers", MEMBER_STARTED, s.nodeId(), self, s.members().size(), s.members().keySet(),
                machine.current().revision());
        return new ClusterNode(s, machine, server, group, peerChannel);
    }

    /**
     * Creates the Raft storage directory and its missing parents 0700: Ratis writes the log (every revision of the
     * document, with password hashes and sealed keys) with the process's umask, so the directory keeps it private.
     * An existing directory keeps its mode (the node warns at start when it is open to others).
     */
    static void createPrivateDirectory(java.nio.file.Path dir) throws java.io.IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
            java.nio.file.Files.createDirectories(dir);
        }
    }

    /**
     * The last revision a member with this data directory applied, read from its disk without starting anything
     * (for clean-up after a crash); {@link Revision#NONE} when there is none.
     */
    public static Revision lastApplied(java.nio.file.Path dataDir) {
        return DocumentStateMachine.readLastApplied(dataDir.resolve("last-applied.bin"));
    }

    /** The last revision this member applied (possibly from disk, before any leader). Any thread; no I/O. */
    public Revision current() {
        return machine.current();
    }

    /** Committed revisions this member knows, newest first (bounded). */
    public List<Revision> history() {
        return machine.history();
    }

    /** Called with every revision this member applies from now on, in order, on one thread. */
    public void subscribe(Consumer<Revision> listener) {
        machine.subscribe(listener);
    }

    /**
     * Proposes a new document based on {@code baseRevision}.
     *
     * @return completes with the committed revision; exceptionally with {@link StaleRevisionException} when another
     *         revision was committed first, or with the client's failure when no quorum answered
     */
    public CompletableFuture<Revision> propose(long baseRevision, byte[] document, String author, String summary) {
        Message m = Message.valueOf(ByteString.copyFrom(Codec.proposal(baseRevision, document, author, summary)));
        return client.send(m, timer).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new IllegalStateException(PROPOSAL_FAILED + " the proposal failed: " + reply.getException());
            }
            Codec.Reply r = Codec.reply(reply.getMessage().getContent().toByteArray());
            if (!r.ok()) {
                throw new StaleRevisionException(baseRevision, r.revision());
            }
            return new Revision(r.revision(), document, author, 0, summary);
        });
    }

    /**
     * Commits a heartbeat of this member reporting the VIPs it holds (every ~200 ms while it runs), sent under the
     * lease and margin of the document it has applied: its agent obeys those from it (and its VIPs' gates close by
     * then), and the others wait at least that long after it, whatever a later document says.
     */
    public CompletableFuture<Void> heartbeat(java.util.Set<String> held) {
        return heartbeat(held, java.util.Set.of(), "");
    }

    /**
     * As {@link #heartbeat(java.util.Set)}, also reporting the VIPs among {@code held} this member hands over (quiet,
     * for its own connections only: see {@code VipAgent}) and its hardware address on the VIP interface ("" unknown),
     * to which the next holder relays their packets.
     */
    public CompletableFuture<Void> heartbeat(java.util.Set<String> held, java.util.Set<String> leaving, String mac) {
        var applied = machine.getLastAppliedTermIndex();
        long[] t = machine.timers();
        // Once, through the leader this member knows, off this thread: the next heartbeat follows in 200 ms (or at
        // once on a leader change, see onLeaderChange), fresher than a re-sent one.
        return done(beats.sendOnce(Message.valueOf(ByteString.copyFrom(Codec.heartbeat(settings.nodeId(), held,
                applied == null ? -1 : applied.getIndex(), machine.lifetime(), System.nanoTime(), t[1], t[2],
                leaving, mac)))));
    }

    /**
     * This member is the pair's witness: it asks for leadership whenever it follows another member, settled and caught
     * up (see {@link WitnessLeadership}), so that losing a proxy never costs an election.
     */
    public void leadAsWitness() {
        if (witnessLeadership == null) {
            witnessLeadership = new WitnessLeadership(this, settings.nodeId());
        }
    }

    /** A client of its own aimed at {@code leader} (administrative requests; the caller closes it). */
    RaftClient newClientTo(RaftPeerId leader) {
        return newClient(rpc, group, WitnessLeadership.TRANSFER_TIMEOUT_MS + 1_000, leader, null);
    }

    /** Messages to and from the other members outside the Raft log, over the Raft port's mutual TLS. */
    public PeerChannel peers() {
        return peers;
    }

    /** This process's end secret, for its VIP guardian only (see {@code VipGuardian}); a copy. */
    public byte[] endSecret() {
        return machine.endSecret();
    }

    /**
     * A guardian reports that {@code node}'s process has ended and its VIPs are gone: when {@code secret} is the end
     * secret of the process whose heartbeats this member applied last, commits that, and the node's VIPs move at once.
     *
     * @return completes with false at once when the secret does not prove it (another process, told already, unknown
     *         node); with true once committed; exceptionally when no quorum answered in time
     */
    public CompletableFuture<Boolean> ended(String node, byte[] secret) {
        io.duet.cluster.vip.Heartbeat hb = machine.heartbeats().get(node);
        if (secret.length != Codec.END_SECRET_BYTES || hb == null || !hb.provenEndedBy(secret)) {
            return CompletableFuture.completedFuture(false);
        }
        return send(client, Codec.ended(node, secret)).thenApply(v -> true);
    }

    /** Planned failover: {@code node}'s VIPs move to the others ({@code drain}), or it takes VIPs again. */
    public CompletableFuture<Void> handoff(String node, boolean drain) {
        return send(client, Codec.handoff(node, drain));
    }

    /**
     * Appends one record (at most 16 KiB, opaque to the cluster) to the replicated audit trail, which every member
     * keeps (the newest 10,000, in snapshots too).
     */
    public CompletableFuture<Void> audit(byte[] record) {
        return send(client, Codec.audit(record));
    }

    /** The newest {@code max} replicated audit records this member applied, newest first: (leader time, bytes). */
    public List<Map.Entry<Long, byte[]>> auditTrail(int max) {
        return machine.audit(max).stream().map(r -> Map.entry(r.time(), r.data())).toList();
    }

    private CompletableFuture<Void> send(LeaderClient through, byte[] entry) {
        return done(through.send(Message.valueOf(ByteString.copyFrom(entry)), timer));
    }

    private static CompletableFuture<Void> send(RaftClient client, byte[] entry) {
        return done(client.async().send(Message.valueOf(ByteString.copyFrom(entry))));
    }

    private static CompletableFuture<Void> done(CompletableFuture<org.apache.ratis.protocol.RaftClientReply> sent) {
        return sent.thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new IllegalStateException(PROPOSAL_FAILED + " " + reply.getException());
            }
            return null;
        });
    }

    /** The last committed heartbeat of every node, as this member applied them (times are the leader's clock). */
    public Map<String, io.duet.cluster.vip.Heartbeat> heartbeats() {
        return machine.heartbeats();
    }

    /** The VIP table as this member applied it last. */
    public io.duet.cluster.vip.Ownership ownership() {
        return machine.ownership();
    }

    /** Called (table, term) whenever an applied entry changes the VIP table; one thread, in order. */
    public void subscribeOwnership(java.util.function.BiConsumer<io.duet.cluster.vip.Ownership, Long> listener) {
        machine.subscribeOwnership(listener);
    }

    /**
     * Called with the send time ({@link System#nanoTime}) of each heartbeat this process sent, once it is committed
     * and applied here (the VIP agent renews its lease from the send time); in order with the ownership tables.
     * Heartbeats of an earlier life of this node, replayed from the log after a restart, are not reported.
     */
    public void onOwnHeartbeat(OwnHeartbeatListener listener) {
        machine.onOwnHeartbeat(listener);
    }

    /** The failover timers of the applied document, {heartbeatMs, leaseMs, marginMs} (the defaults before any). */
    public long[] timers() {
        return machine.timers();
    }

    /**
     * Called when this member learns of a new leader and when a new term's first entry is applied: the moment to send
     * a heartbeat there at once, rather than at the next tick (the other proxy's VIP lives on its heartbeats' commits,
     * which an election pauses). On Ratis's threads: must not block.
     */
    public void onLeaderChange(Runnable listener) {
        machine.onLeaderChange(listener);
    }

    /** Members, this member's role, leader and term, commit and applied index, applied revision. */
    public ClusterStatus status() {
        try {
            RaftServer.Division d = server.getDivision(GROUP);
            var info = d.getInfo();
            RaftPeerId leader = info.getLeaderId();
            return new ClusterStatus(settings.nodeId(), info.getCurrentRole().name(),
                    leader == null ? null : leader.toString(), info.getCurrentTerm(),
                    d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(), machine.current().revision(),
                    settings.members().keySet().stream().sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * While this member leads: each follower's id and the milliseconds since it last answered the leader (Ratis's
     * own figure); empty on a follower, which sees only the leader. For the admin API's alerts; any thread.
     */
    public Map<String, Long> followerSilenceMs() {
        try {
            var role = server.getDivision(GROUP).getInfo().getRoleInfoProto();
            if (!role.hasLeaderInfo()) {
                return Map.of();
            }
            Map<String, Long> out = new java.util.TreeMap<>();
            for (var f : role.getLeaderInfo().getFollowerInfoList()) {
                out.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Raft server of this member (for tests and the cluster status of the appliance). */
    RaftServer server() {
        return server;
    }

    @Override
    public void close() {
        WitnessLeadership w = witnessLeadership;
        if (w != null) {
            w.close();
        }
        leaderWatch.close();
        stuckFollowerWatch.close();
        peers.close();
        timer.shutdownNow();
        reconnector.shutdownNow();
        try {
            client.close();
            beats.close();
        } catch (IOException e) {
            LOG.debug("closing the Raft client: {}", e.toString());
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("{} closing member {}: {}", MEMBER_CLOSE_FAILED, settings.nodeId(), e.toString());
        }
    }
}
