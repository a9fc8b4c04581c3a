package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A member's Raft client that sends to the leader this member knows. When the leader's machine vanishes without a
 * word (its link cut, the process frozen) a Ratis client keeps retrying it until its connection breaks, seconds
 * later, while this member learns the new leader from the election itself (it may be the leader): a client aimed at
 * the new leader replaces the old one (closed in the background), and a request still unanswered when the leader
 * changes is sent again through it (seen in the lab: heartbeats committed 2.6 s after a new leader was elected, VIPs
 * 3.7 s unserved; proposals waited the same). A request sent twice is at most a duplicate proposal on the same base,
 * which the state machine refuses as stale; the old leader cannot have committed it without a majority.
 *
 * <p>Thread-safety: any thread.
 */
final class LeaderClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderClient.class);
    /** How often an unanswered request looks for a new leader. */
    static final long CHECK_MS = 50;
    /** At most this many sends of one request (the first and its re-sends). */
    static final int MAX_SENDS = 5;
    /** A replaced client is closed this long after: what it still carries may yet be answered. */
    static final long RETIRE_MS = 10_000;

    private final String name;
    private final Function<RaftPeerId, RaftClient> factory;
    private final Supplier<RaftPeerId> knownLeader;
    private volatile RaftClient client;
    private volatile RaftPeerId aimedAt;

    /**
     * @param name        what it carries, for the log line ("heartbeats", "configuration")
     * @param factory     a client sending first to the given leader (null: the client finds it)
     * @param knownLeader the leader this member knows now, or null
     */
    LeaderClient(String name, Function<RaftPeerId, RaftClient> factory, Supplier<RaftPeerId> knownLeader) {
        this.name = name;
        this.factory = factory;
        this.knownLeader = knownLeader;
        this.client = factory.apply(null);
    }

    /** The client aimed at the leader this member knows now (a new one when that changed). */
    RaftClient current() {
        RaftPeerId leader = knownLeader.get();
        RaftClient c = client;
        if (leader == null || leader.equals(aimedAt)) {
            return c;
        }
        synchronized (this) {
            if (leader.equals(aimedAt)) {
                return client;
            }
            RaftClient fresh = factory.apply(leader);
            RaftClient old = client;
            boolean first = aimedAt == null;
            client = fresh;
            aimedAt = leader;
            if (!first) {
                LOG.info("DUET-CLUSTER-0006 leader is now {}: {} go there directly", leader, name);
            }
            // closed a while later: a request it carries may still be answered (and must be, if it committed)
            CompletableFuture.runAsync(() -> {
                try {
                    old.close();
                } catch (IOException e) {
                    LOG.debug("closing the previous {} client: {}", name, e.toString());
                }
            }, CompletableFuture.delayedExecutor(RETIRE_MS, TimeUnit.MILLISECONDS));
            return fresh;
        }
    }

    /**
     * Sends {@code m} through {@link #current()}; while it is unanswered and this member learns of another leader,
     * sends it again through a client aimed there (at most {@value #MAX_SENDS} sends). Completes with the first
     * reply, or the last failure.
     */
    CompletableFuture<RaftClientReply> send(Message m, ScheduledExecutorService timer) {
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        attempt(m, result, timer, 1);
        return result;
    }

    private void attempt(Message m, CompletableFuture<RaftClientReply> result, ScheduledExecutorService timer,
                         int sends) {
        RaftClient c = current();
        RaftPeerId aimed = aimedAt;
        c.async().send(m).whenComplete((reply, failure) -> {
            if (failure == null) {
                result.complete(reply);
            } else if (client == c || sends >= MAX_SENDS) {
                result.completeExceptionally(failure); // a replaced client's failure: a re-send answers instead
            }
        });
        if (sends < MAX_SENDS && aimed != null) {
            // only a request aimed at a known leader is sent again when another one is elected; with none known
            // yet, the client finds the leader itself
            watch(m, result, timer, sends, aimed);
        }
    }

    private void watch(Message m, CompletableFuture<RaftClientReply> result, ScheduledExecutorService timer,
                       int sends, RaftPeerId aimed) {
        timer.schedule(() -> {
            if (result.isDone()) {
                return;
            }
            RaftPeerId leader = knownLeader.get();
            if (leader != null && !leader.equals(aimed)) {
                attempt(m, result, timer, sends + 1);
            } else {
                watch(m, result, timer, sends, aimed);
            }
        }, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
