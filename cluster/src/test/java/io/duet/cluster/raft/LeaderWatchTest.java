package io.duet.cluster.raft;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the leader watch tells a gone or frozen leader from a live one, against real sockets: nothing listening
 * (refused), a process whose kernel accepts connections but which never answers (a frozen JVM: its listening socket
 * is never served), and one that answers (here by closing the connection, as a member's TLS endpoint does with an
 * alert when no client certificate comes).
 */
class LeaderWatchTest {
    private static String hostPort(int port) {
        return "127.0.0.1:" + port;
    }

    @Test
    void nothingListeningIsGone() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(LeaderWatch.gone(hostPort(port))).contains("refuses connections");
    }

    // The kernel completes the connection into the listening socket's backlog; nobody reads it.
    @Test
    void aProcessThatAcceptsButNeverAnswersCountsAsFrozen() throws Exception {
        try (ServerSocket frozen = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            assertThat(LeaderWatch.gone(hostPort(frozen.getLocalPort()))).contains("did not answer")
                    .contains("frozen");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("decided after the answer timeout, not much later")
                    .isBetween((long) LeaderWatch.ANSWER_TIMEOUT_MS - 5, LeaderWatch.ANSWER_TIMEOUT_MS + 500L);
        }
    }

    @Test
    void aProcessThatAnswersIsNotGone() throws Exception {
        try (ServerSocket live = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket c = live.accept()) {
                    c.getInputStream().read(); // the ClientHello's first byte, then an answer: the connection closes
                } catch (java.io.IOException e) {
                    // the test fails on the assertion below
                }
            });
            server.start();
            assertThat(LeaderWatch.gone(hostPort(live.getLocalPort()))).isNull();
            server.join(5_000);
        }
    }

    // A listening socket whose accept queue is full drops new SYNs, as a cut-off host does: the connection times out.
    @Test
    void aConnectionThatTimesOutIsUnreachableAndTellsApartWhoIsCutOff() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket answering = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            java.util.List<Socket> queued = new java.util.ArrayList<>();
            try {
                // Fill the accept queue (nobody accepts); then a connection attempt gets no answer.
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                                full.getLocalPort()), 200);
                        queued.add(s);
                    } catch (java.net.SocketTimeoutException e) {
                        s.close();
                        break;
                    }
                }
                assertThat(LeaderWatch.gone(hostPort(full.getLocalPort()))).isEqualTo(LeaderWatch.UNREACHABLE);
                assertThat(LeaderWatch.reachable(hostPort(full.getLocalPort()))).isFalse();
                assertThat(LeaderWatch.reachable(hostPort(answering.getLocalPort()))).isTrue();
                int closed;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    closed = s.getLocalPort();
                }
                assertThat(LeaderWatch.reachable(hostPort(closed))).as("refused is an answer").isTrue();
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }
}
