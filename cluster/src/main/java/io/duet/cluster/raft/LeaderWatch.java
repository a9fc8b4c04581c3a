package io.duet.cluster.raft;

import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices at once that the leader's process is gone, and starts the election then instead of after Ratis's election
 * timeout. An election pauses the commits that renew the proxies' VIP lifetimes, so it must end within about a second
 * of the last commit; Ratis's followers notice a lost leader only after one to two election timeouts (532 ms after
 * the witness's last message in the lab, and the proxy that then led was ready 0.43 s later: too late for the other
 * proxy's VIP).
 *
 * <p>When the leader has been silent for {@value #SILENT_MS} ms, this member tries a TCP connection to the leader's
 * Raft endpoint. <em>Refused</em> means no process listens there: the leader's process has ended (a frozen process's
 * kernel still accepts, a partition answers nothing, so neither starts anything here). Then the first member in id
 * order other than the leader stands at once, the next one {@value #STAGGER_MS} ms later if there is still no
 * leader (two candidates at once would split the vote): through Ratis's own start-election request, which a leader
 * sends in a leadership transfer, here made by this member for its own server, naming the leader it has lost. Raft's
 * safety does not depend on when an election starts; a wrong guess costs an election, never a second leader.
 *
 * <p>Own thread; {@link #close} stops it.
 */
final class LeaderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    static final String STANDS = "DUET-CLUSTER-0063";
    /** How long the leader must have been silent before its endpoint is tried. */
    static final long SILENT_MS = 150;
    /** How long a connection attempt may take (refusal is immediate on a LAN). */
    static final int CONNECT_TIMEOUT_MS = 100;
    /** The delay of each next member in id order. */
    static final long STAGGER_MS = 150;
    static final long CHECK_MS = 25;
    /** At most one connection attempt this often (a silent leader that is alive is tried again). */
    static final long PROBE_EVERY_MS = 100;

    private final ClusterNode node;
    private final String self;
    private final Map<String, String> members;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-leader-watch");
        t.setDaemon(true);
        return t;
    });
    // The check's thread only.
    private RaftPeerId goneLeader;
    private long goneSince;
    private long goneTerm;
    private boolean stood;
    private long lastProbe;

    LeaderWatch(ClusterNode node, String self, Map<String, String> members) {
        this.node = node;
        this.self = self;
        this.members = Map.copyOf(members);
        thread.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            var d = node.server().getDivision(ClusterNode.GROUP);
            var info = d.getInfo();
            RaftPeerId leader = info.getLeaderId();
            var role = info.getRoleInfoProto();
            if (leader == null || leader.toString().equals(self) || !info.isFollower() || !role.hasFollowerInfo()) {
                if (leader != null && !leader.equals(goneLeader)) {
                    goneLeader = null; // a new leader: forget the old one
                }
                return;
            }
            long silentMs = role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
            long term = info.getCurrentTerm();
            if (silentMs < SILENT_MS) {
                goneLeader = null;
                return;
            }
            long now = System.nanoTime();
            if (!leader.equals(goneLeader) || term != goneTerm) {
                if (now - lastProbe < TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MS)) {
                    return;
                }
                lastProbe = now;
                if (!refused(members.get(leader.toString()))) {
                    return;
                }
                goneLeader = leader;
                goneTerm = term;
                goneSince = now;
                stood = false;
            }
            List<String> order = members.keySet().stream().filter(m -> !m.equals(leader.toString())).sorted()
                    .toList();
            long wait = STAGGER_MS * Math.max(0, order.indexOf(self));
            if (stood || now - goneSince < TimeUnit.MILLISECONDS.toNanos(wait)) {
                return;
            }
            stood = true;
            TermIndex last = d.getRaftLog().getLastEntryTermIndex();
            RaftProtos.StartLeaderElectionRequestProto request = RaftProtos.StartLeaderElectionRequestProto
                    .newBuilder()
                    .setServerRequest(ClientProtoUtils.toRaftRpcRequestProtoBuilder(
                            RaftGroupMemberId.valueOf(leader, ClusterNode.GROUP), RaftPeerId.valueOf(self)))
                    .setLeaderLastEntry(last.toProto())
                    .build();
            boolean started = node.server().startLeaderElection(request).getServerReply().getSuccess();
            LOG.info("{} leader {} is gone (its Raft endpoint refuses connections; silent {} ms): {}", STANDS, leader,
                    silentMs, started ? "member " + self + " stands for election now" : "not standing now ("
                            + "Ratis refused: another election is under way or this log is behind)");
        } catch (IOException | RuntimeException e) {
            LOG.debug("leader watch: {}", e.toString());
        }
    }

    /** A TCP connection to {@code hostPort} was refused (nothing listens there). */
    private static boolean refused(String hostPort) {
        if (hostPort == null) {
            return false;
        }
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))),
                    CONNECT_TIMEOUT_MS);
            return false; // someone listens (possibly frozen): Ratis's timeouts decide
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused");
        } catch (IOException | RuntimeException e) {
            return false; // timed out: a partition or a frozen machine, not a dead process
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
