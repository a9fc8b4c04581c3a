package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.cluster.message.ClusterMessage.LEADERSHIP_ASKED;

/**
 * The witness leads the group: once it has followed the same leader for {@value #SETTLED_MS} ms and applied all that
 * is committed, it asks that leader to hand leadership over (Raft's leadership transfer: the leader lets the witness
 * start an election at once, which it wins within a round trip). With the witness leading, a proxy that crashes,
 * freezes or loses its link costs no election: the other proxy's heartbeats keep committing, so its own VIP is never
 * touched (an election used to pause the commits that renew it), and the crashed proxy's end notice commits within
 * milliseconds (its VIPs move in about 0.3 s instead of after an election). Only the witness's own loss costs an
 * election, and it takes leadership back once it has returned and caught up.
 *
 * <p>At most one request every {@value #RETRY_MS} ms. Own thread; {@link #close} stops it.
 */
final class WitnessLeadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WitnessLeadership.class);
    /** How long the same leader must have been known before the witness asks for leadership. */
    static final long SETTLED_MS = 2_000;
    /** At most one request this often. */
    static final long RETRY_MS = 10_000;
    /** How long a transfer may take before the request gives up. */
    static final long TRANSFER_TIMEOUT_MS = 3_000;
    static final long CHECK_MS = 500;

    private final ClusterNode node;
    private final RaftPeerId self;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-witness-leadership");
        t.setDaemon(true);
        return t;
    });
    // The check's thread only.
    private RaftPeerId followed;
    private long followedSince;
    private long lastAsked;

    WitnessLeadership(ClusterNode node, String self) {
        this.node = node;
        this.self = RaftPeerId.valueOf(self);
        thread.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            var d = node.server().getDivision(ClusterNode.GROUP);
            var info = d.getInfo();
            RaftPeerId leader = info.getLeaderId();
            long now = System.nanoTime();
            if (leader == null || leader.equals(self) || !info.isFollower()) {
                followed = null;
                return;
            }
            if (!leader.equals(followed)) {
                followed = leader;
                followedSince = now;
                return;
            }
            boolean settled = now - followedSince >= TimeUnit.MILLISECONDS.toNanos(SETTLED_MS);
            boolean caughtUp = info.getLastAppliedIndex() >= d.getRaftLog().getLastCommittedIndex();
            if (!settled || !caughtUp || (lastAsked != 0 && now - lastAsked < TimeUnit.MILLISECONDS.toNanos(RETRY_MS))) {
                return;
            }
            lastAsked = now;
            LOG.info("{} witness {} asks leader {} to hand leadership over (with the witness leading, a proxy's loss "
                    + "costs no election)", LEADERSHIP_ASKED, self, leader);
            try (RaftClient c = node.newClientTo(leader)) {
                RaftClientReply r = c.admin().transferLeadership(self, TRANSFER_TIMEOUT_MS);
                if (!r.isSuccess()) {
                    LOG.info("{} leader {} did not hand leadership over: {}", LEADERSHIP_ASKED, leader,
                            r.getException());
                }
            }
        } catch (Exception e) {
            LOG.info("{} leadership not handed over: {}", LEADERSHIP_ASKED, e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
