package io.duet.cluster.raft;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spare clients a member keeps for every possible leader: their connections are opened ahead of need, so that the
 * first heartbeat to a new leader does not wait for a connection and a handshake (a lab run: a heartbeat to a witness
 * that had just taken the leadership timed out after 250 ms on its first connection, and the proxy fenced).
 */
class LeaderClientTest {
    private static final RaftPeerId X = RaftPeerId.valueOf("x");

    @Test
    void sparesConnectToTheirMemberBeforeAnythingIsSent() throws Exception {
        try (ServerSocket x = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(x.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RaftGroup group = RaftGroup.valueOf(ClusterNode.GROUP, List.of(
                    RaftPeer.newBuilder().setId(X).setAddress("127.0.0.1:" + x.getLocalPort()).build()));
            try (LeaderClient beats = new LeaderClient("heartbeats", leader -> ClusterNode.newClient(group, 250,
                    null, leader, HeartbeatRetryPolicy.INSTANCE), () -> null, true, ClusterNode::warm)) {
                assertThat(accepted).as("nothing connects before there are spares").isEmpty();
                beats.prepare(List.of(X));
                await().atMost(Duration.ofSeconds(10)).until(() -> !accepted.isEmpty());
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
