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

import static io.duet.cluster.message.ClusterMessage.LEADER_LEARNED;
import static io.duet.cluster.message.ClusterMessage.PROPOSAL_FAILED;

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

    /**
     * Sends run here, never on the caller's thread: a Ratis client whose leader vanished can block the thread that
     * sends through it (its broken connection is torn down there) for most of a second, and a heartbeat thread blocked
     * that way sent nothing to the new leader: the other proxy's VIP lost its lifetime during an election (lab).
     * Bounded: beyond {@value #MAX_SENDERS} sends in flight at once, a send fails at once.
     */
    private static final int MAX_SENDERS = 16;
    private final java.util.concurrent.ExecutorService senders = new java.util.concurrent.ThreadPoolExecutor(0,
            MAX_SENDERS, 30, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "duet-raft-send");
                t.setDaemon(true);
                return t;
            });
    private final java.util.Map<RaftPeerId, RaftClient> spares = new java.util.concurrent.ConcurrentHashMap<>();
    /** Builds and warms the spares; one thread, so a warm-up that waits for a silent member delays only spares. */
    private final java.util.concurrent.ScheduledExecutorService builders = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duet-raft-client-build");
                t.setDaemon(true);
                return t;
            });

    /** Opens a spare's connection to its member ahead of need (one request, never retried). */
    @FunctionalInterface
    interface Warmer {
        /** Throws when {@code peer} did not answer within the client's request timeout. */
        void warm(RaftClient c, RaftPeerId peer) throws IOException;
    }

    /**
     * How often every spare's connection is checked (one request each): a connection opened long ago may be gone (the
     * member restarted, the channel went idle), and a spare whose member did not answer is replaced by a fresh one, so
     * that a failed connection's reconnect back-off (gRPC waits up to two minutes between attempts) never stands
     * between a new leader and this member's first request to it.
     */
    static final long WARM_EVERY_MS = 10_000;
    private final Warmer warmer;
    /** Renewals get their own thread: never behind the (slow) builds of spares. */
    private final java.util.concurrent.ExecutorService renewer = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "duet-raft-client-renew");
                t.setDaemon(true);
                return t;
            });
    private volatile java.util.List<RaftPeerId> members = java.util.List.of();
    private final String name;
    private final Function<RaftPeerId, RaftClient> factory;
    private final Supplier<RaftPeerId> knownLeader;
    private volatile RaftClient client;
    private volatile RaftPeerId aimedAt;
    /** Each failure ends a client for good (below): it is then replaced by a fresh one aimed at the same leader. */
    private final boolean renewAfterFailure;

    /**
     * @param name        what it carries, for the log line ("heartbeats", "configuration")
     * @param factory     a client sending first to the given leader (null: the client finds it)
     * @param knownLeader the leader this member knows now, or null
     */
    LeaderClient(String name, Function<RaftPeerId, RaftClient> factory, Supplier<RaftPeerId> knownLeader) {
        this(name, factory, knownLeader, false, null);
    }

    /**
     * @param renewAfterFailure the factory's clients give a request up rather than retry it elsewhere (a heartbeat's
     *                          {@link HeartbeatRetryPolicy}): a Ratis client that gave a request up fails every later
     *                          one ("is closed"), so after each failure the client is replaced by a fresh one aimed at
     *                          the same leader (a spare when one is ready; built in the background otherwise, while
     *                          sends through the spent one fail at once)
     * @param warmer            opens each spare's connection when it is built and every {@value #WARM_EVERY_MS} ms
     *                          (null: spares connect when first used)
     */
    LeaderClient(String name, Function<RaftPeerId, RaftClient> factory, Supplier<RaftPeerId> knownLeader,
                 boolean renewAfterFailure, Warmer warmer) {
        this.name = name;
        this.factory = factory;
        this.knownLeader = knownLeader;
        this.renewAfterFailure = renewAfterFailure;
        this.warmer = warmer;
        this.client = factory.apply(null);
        if (warmer != null) {
            builders.scheduleWithFixedDelay(this::rewarm, WARM_EVERY_MS, WARM_EVERY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Builds thread: checks every spare's connection, replacing those whose member did not answer. */
    private void rewarm() {
        for (RaftPeerId peer : members) {
            RaftClient spare = spares.get(peer);
            if (spare == null || warm(spare, peer)) {
                continue;
            }
            RaftClient fresh = factory.apply(peer);
            if (spares.replace(peer, spare, fresh)) {
                closeQuietly(spare);
            } else {
                closeQuietly(fresh); // taken meanwhile
            }
        }
    }

    /** Whether {@code peer} answered through {@code c} (always true without a warmer). */
    private boolean warm(RaftClient c, RaftPeerId peer) {
        if (warmer == null) {
            return true;
        }
        try {
            warmer.warm(c, peer);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} spare for {} not warmed: {}", name, peer, e.toString());
            return false;
        }
    }

    /**
     * Replaces {@code spent} (it gave a request up) by a fresh client aimed at the same leader, off this thread and
     * outside the lock: building one can take a second, and {@link #current} must never wait for it.
     */
    private void renew(RaftClient spent) {
        try {
            renewer.execute(() -> {
                if (client != spent) {
                    return; // replaced meanwhile (a new leader, or renewed already)
                }
                RaftPeerId aimed = aimedAt;
                RaftClient ready = aimed == null ? null : spares.remove(aimed);
                RaftClient fresh = ready != null ? ready : factory.apply(aimed);
                boolean taken;
                synchronized (this) {
                    taken = client == spent && java.util.Objects.equals(aimedAt, aimed);
                    if (taken) {
                        client = fresh;
                    }
                }
                if (ready != null && members.contains(aimed)) {
                    buildSpare(aimed);
                }
                closeQuietly(taken ? spent : fresh);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Builds a client aimed at each of {@code members} in the background, so that switching to a new leader takes no
     * time: building one (gRPC with mutual TLS) took 0.4-1.6 s in the lab, and a heartbeat waiting for it during an
     * election let the other proxy's VIP lifetime run out. Each client taken is replaced by a fresh spare.
     */
    void prepare(java.util.Collection<RaftPeerId> members) {
        this.members = java.util.List.copyOf(members);
        members.forEach(this::buildSpare);
    }

    private void buildSpare(RaftPeerId peer) {
        try {
            builders.execute(() -> {
                RaftClient c = factory.apply(peer);
                warm(c, peer);
                RaftClient previous = spares.put(peer, c);
                if (previous != null) {
                    closeQuietly(previous);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** A ready client aimed at {@code leader} (built now when none is ready), replaced by a new spare. */
    private RaftClient spare(RaftPeerId leader) {
        RaftClient c = spares.remove(leader);
        if (members.contains(leader)) {
            buildSpare(leader);
        }
        return c != null ? c : factory.apply(leader);
    }

    private void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a {} client: {}", name, e.toString());
        }
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
            RaftClient fresh = spare(leader);
            RaftClient old = client;
            boolean first = aimedAt == null;
            client = fresh;
            aimedAt = leader;
            if (!first) {
                LOG.info("{} leader is now {}: {} go there directly", LEADER_LEARNED, leader, name);
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

    /** Sends {@code m} once through {@link #current()}, off the caller's thread; never sent again. */
    CompletableFuture<RaftClientReply> sendOnce(Message m) {
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        attempt(m, result, null, MAX_SENDS);
        return result;
    }

    private void attempt(Message m, CompletableFuture<RaftClientReply> result, ScheduledExecutorService timer,
                         int sends) {
        RaftClient c = current();
        RaftPeerId aimed = aimedAt;
        try {
            senders.execute(() -> {
                CompletableFuture<RaftClientReply> sent;
                try {
                    sent = c.async().send(m);
                } catch (RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                sent.whenComplete((reply, failure) -> {
                    if (failure == null) {
                        result.complete(reply);
                        return;
                    }
                    boolean stillCurrent = client == c;
                    if (renewAfterFailure) {
                        renew(c);
                    }
                    if (stillCurrent || sends >= MAX_SENDS) {
                        result.completeExceptionally(failure); // a replaced client's failure: a re-send answers
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IOException(PROPOSAL_FAILED + " " + MAX_SENDERS + " " + name
                    + " sends already in flight"));
            return;
        }
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
        senders.shutdown();
        builders.shutdownNow();
        renewer.shutdownNow();
        spares.values().forEach(this::closeQuietly);
        spares.clear();
        client.close();
    }
}
