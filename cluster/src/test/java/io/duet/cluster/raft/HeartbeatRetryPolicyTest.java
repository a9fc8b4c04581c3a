package io.duet.cluster.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A heartbeat is retried only while its leader is not ready, and never wanders to another member: against real
 * sockets, a client aimed at a frozen member (its kernel accepts, nothing answers) gives the heartbeat up at its
 * timeout and stays aimed where it was. Ratis's default policy retried it forever, turning to the other members.
 */
class HeartbeatRetryPolicyTest {
    private static final RaftPeerId X = RaftPeerId.valueOf("x");

    private static RetryPolicy.Event event(int attempts, Throwable cause) {
        return new ClientRetryEvent(attempts, null, attempts, cause, null);
    }

    @Test
    void retriesBrieflyButNeverAfterATimeoutOrAnotherLeader() {
        HeartbeatRetryPolicy p = HeartbeatRetryPolicy.INSTANCE;
        LeaderNotReadyException notReady = new LeaderNotReadyException(
                RaftGroupMemberId.valueOf(X, ClusterNode.GROUP));
        RetryPolicy.Action first = p.handleAttemptFailure(event(1, notReady));
        assertThat(first.shouldRetry()).isTrue();
        assertThat(first.getSleepTime().toLong(TimeUnit.MILLISECONDS)).isEqualTo(HeartbeatRetryPolicy.SLEEP_MS);
        assertThat(p.handleAttemptFailure(event(HeartbeatRetryPolicy.MAX_ATTEMPTS, notReady)).shouldRetry()).isFalse();
        assertThat(p.handleAttemptFailure(event(1, new java.io.IOException("stream closed"))).shouldRetry()).isTrue();
        assertThat(p.handleAttemptFailure(event(1, new TimeoutIOException("silent"))).shouldRetry()).isFalse();
        assertThat(p.handleAttemptFailure(event(1, new java.util.concurrent.CompletionException(
                new TimeoutIOException("silent")))).shouldRetry()).as("wrapped").isFalse();
        assertThat(p.handleAttemptFailure(event(1, new NotLeaderException(
                RaftGroupMemberId.valueOf(X, ClusterNode.GROUP), null, List.of()))).shouldRetry()).isFalse();
    }

    @Test
    void aHeartbeatToAFrozenLeaderEndsAtItsTimeoutAndTheClientStaysAimed() throws Exception {
        try (ServerSocket frozenX = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ServerSocket frozenW = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            RaftGroup group = RaftGroup.valueOf(ClusterNode.GROUP, List.of(
                    RaftPeer.newBuilder().setId(X).setAddress("127.0.0.1:" + frozenX.getLocalPort()).build(),
                    RaftPeer.newBuilder().setId("w").setAddress("127.0.0.1:" + frozenW.getLocalPort()).build()));
            try (RaftClient c = ClusterNode.newClient(ClusterNode.only(group, X), 250, null, X,
                    HeartbeatRetryPolicy.INSTANCE)) {
                long t0 = System.nanoTime();
                CompletableFuture<?> sent = c.async().send(Message.valueOf("beat"));
                Throwable failure = sent.handle((r, e) -> e).get(5, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(failure).as("given up, not answered").isNotNull();
                assertThat(ms).as("given up at its first timeout, not after trying the others").isLessThan(1_500);
                assertThat(c.getLeaderId()).as("still aimed at the leader it was sent to").isEqualTo(X);
            }
        }
    }

    // A Ratis client that gave one request up fails every later one at once ("is closed"): the heartbeats' client is
    // replaced after a failure, so the next heartbeat is really sent (here it times out again, rather than failing at
    // once as closed).
    @Test
    void aHeartbeatClientThatGaveUpIsReplaced() throws Exception {
        try (ServerSocket frozenX = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            RaftGroup group = RaftGroup.valueOf(ClusterNode.GROUP, List.of(
                    RaftPeer.newBuilder().setId(X).setAddress("127.0.0.1:" + frozenX.getLocalPort()).build()));
            java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
            try (LeaderClient beats = new LeaderClient("heartbeats", leader -> {
                built.incrementAndGet();
                return ClusterNode.newClient(group, 250, null, leader, HeartbeatRetryPolicy.INSTANCE);
            }, () -> X, true, null)) {
                for (int beat = 0; beat < 3; beat++) {
                    int n = beat;
                    long t0 = System.nanoTime();
                    Throwable failure = beats.sendOnce(Message.valueOf("beat")).handle((r, e) -> e)
                            .get(5, TimeUnit.SECONDS);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(failure).as("beat %d", n).isNotNull();
                    assertThat(ms).as("beat %d was sent and waited for its answer, not refused as closed", n)
                            .isGreaterThanOrEqualTo(200);
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                            .until(() -> built.get() >= n + 3); // the first, the one aimed at X, the renewals
                }
            }
        }
    }
}
