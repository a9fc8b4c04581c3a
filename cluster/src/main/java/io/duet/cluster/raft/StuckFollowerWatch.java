package io.duet.cluster.raft;

import io.duet.cluster.vip.Heartbeat;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.cluster.message.ClusterMessage.STUCK_FOLLOWER;

/**
 * A leader hands leadership over when a follower's log repair is stuck. Seen in the namespace lab (Ratis 3.3.0): a
 * follower that joined or came back while leadership moved answered every append with INCONSISTENCY for minutes (the
 * leader had recorded a match index beyond the follower's log and kept sending entries after it), so that member never
 * caught up: it could hold no VIP and vote for nobody. A new leader starts from nothing for each follower and repairs
 * its log at once.
 *
 * <p>The sign, read from what every member already commits: a follower's heartbeats keep arriving (it is alive and
 * reaches this leader), but the applied index it reports in them has not moved for {@value #STUCK_MS} ms while this
 * leader committed more than {@value #BEHIND} entries beyond it. Then this leader asks Ratis to transfer leadership to
 * a member that is caught up ({@code DUET-CLUSTER-0065}); the witness takes leadership back later, as always. At most
 * one transfer every {@value #RETRY_MS} ms. A leadership transfer costs no VIP (commits pause for a round trip).
 *
 * <p>Own thread, checks every {@value #CHECK_MS} ms; {@link #close} stops it.
 */
final class StuckFollowerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StuckFollowerWatch.class);
    static final long CHECK_MS = 1_000;
    /** How long a live follower's applied index may stand still while it is behind. */
    static final long STUCK_MS = 5_000;
    /** How far behind the leader's commit index it must be. */
    static final long BEHIND = 20;
    /** A heartbeat older than this does not count as a sign of life. */
    static final long FRESH_MS = 2_000;
    static final long RETRY_MS = 30_000;

    private final ClusterNode node;
    private final String self;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-stuck-follower-watch");
        t.setDaemon(true);
        return t;
    });
    // The check's thread only: per member, the applied index last reported and since when (nanoTime).
    private final Map<String, long[]> reported = new HashMap<>();
    private long lastTransfer;

    StuckFollowerWatch(ClusterNode node, String self) {
        this(node, self, true);
    }

    private StuckFollowerWatch(ClusterNode node, String self, boolean run) {
        this.node = node;
        this.self = self;
        if (run) {
            thread.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** A stuck follower and the member to hand leadership to. */
    record Verdict(String stuck, String to, long standingMs, long applied) {
    }

    /**
     * One check, a pure function of what this leader sees (and of what earlier checks saw: {@link #reported}).
     *
     * @param heartbeats every member's last committed heartbeat
     * @param members    every voter
     * @param commit     this leader's commit index
     * @param now        {@link System#nanoTime}
     * @param wall       {@link System#currentTimeMillis}, against the heartbeats' leader stamps
     * @return what to do, or null
     */
    Verdict observe(Map<String, Heartbeat> heartbeats, java.util.List<String> members, long commit, long now,
                    long wall) {
        String stuck = null;
        String caughtUp = null;
        for (Map.Entry<String, Heartbeat> e : heartbeats.entrySet()) {
            String m = e.getKey();
            Heartbeat hb = e.getValue();
            if (m.equals(self) || hb.ended() || wall - hb.time() > FRESH_MS) {
                reported.remove(m);
                continue;
            }
            long[] r = reported.get(m);
            if (r == null || r[0] != hb.appliedIndex()) {
                r = new long[] {hb.appliedIndex(), now};
                reported.put(m, r);
            }
            if (commit - hb.appliedIndex() > BEHIND) {
                if (now - r[1] >= TimeUnit.MILLISECONDS.toNanos(STUCK_MS)) {
                    stuck = m;
                }
            } else {
                caughtUp = m;
            }
        }
        if (stuck != null && caughtUp == null) {
            // A member that sends no heartbeats (the witness): Ratis checks it is caught up before handing over.
            for (String m : members) {
                if (!m.equals(self) && !m.equals(stuck) && !heartbeats.containsKey(m)) {
                    caughtUp = m;
                }
            }
        }
        if (stuck == null || caughtUp == null
                || (lastTransfer != 0 && now - lastTransfer < TimeUnit.MILLISECONDS.toNanos(RETRY_MS))) {
            return null;
        }
        lastTransfer = now;
        long[] r = reported.get(stuck);
        return new Verdict(stuck, caughtUp, TimeUnit.NANOSECONDS.toMillis(now - r[1]), r[0]);
    }

    private void check() {
        try {
            var d = node.server().getDivision(ClusterNode.GROUP);
            if (!d.getInfo().isLeader()) {
                reported.clear();
                return;
            }
            long commit = d.getRaftLog().getLastCommittedIndex();
            Verdict v = observe(node.heartbeats(), node.status().members(), commit, System.nanoTime(),
                    System.currentTimeMillis());
            if (v == null) {
                return;
            }
            LOG.warn("{} member {} has not caught up for {} ms (applied index {}, commit index {}): its log repair "
                    + "is stuck; leader {} hands leadership to {}, which repairs it from the start", STUCK_FOLLOWER,
                    v.stuck(), v.standingMs(), v.applied(), commit, self, v.to());
            try (RaftClient c = node.newClientTo(RaftPeerId.valueOf(self))) {
                RaftClientReply reply = c.admin().transferLeadership(RaftPeerId.valueOf(v.to()),
                        WitnessLeadership.TRANSFER_TIMEOUT_MS);
                if (!reply.isSuccess()) {
                    LOG.warn("{} leadership not handed to {}: {}", STUCK_FOLLOWER, v.to(), reply.getException());
                }
            }
        } catch (Exception e) {
            LOG.warn("{} stuck-follower check failed: {}", STUCK_FOLLOWER, e.toString());
        }
    }

    /** Tests: the decisions alone, no thread. */
    static StuckFollowerWatch forTest(String self) {
        return new StuckFollowerWatch(null, self, false);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
