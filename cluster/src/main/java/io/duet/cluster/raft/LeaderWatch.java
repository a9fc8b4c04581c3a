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

import static io.duet.cluster.message.ClusterMessage.STANDS_FOR_ELECTION;

/**
 * Notices at once that the leader's process is gone or frozen, and starts the election then instead of after Ratis's
 * election timeout. An election pauses the commits that renew the proxies' VIP lifetimes, so it must end within about a second
 * of the last commit; Ratis's followers notice a lost leader only after one to two election timeouts (532 ms after
 * the witness's last message in the lab, and the proxy that then led was ready 0.43 s later: too late for the other
 * proxy's VIP).
 *
 * <p>When the leader has been silent for {@value #SILENT_MS} ms, this member tries a TCP connection to the leader's
 * Raft endpoint. <em>Refused</em> means no process listens there: the leader's process has ended. <em>Accepted</em>,
 * it starts a TLS handshake there: a live process answers within milliseconds (a ServerHello, an alert, or it closes
 * the connection, all fine); a frozen one cannot, although its kernel accepted the connection, so no answer within
 * {@value #ANSWER_TIMEOUT_MS} ms counts as gone too (a frozen leader was noticed only after Ratis's timeouts,
 * 0.34-0.8 s, in the lab, and the other proxy's lease ran out meanwhile). A connection that times out means the leader
 * is cut off (or its machine paused) <em>when another member answers this one</em> (a connection to it completes or
 * is refused within the same time): then it counts as gone too; when nobody answers, this member is the one cut off,
 * and it starts nothing (Ratis's timeouts decide). A leader that only this member cannot reach (an asymmetric fault)
 * costs an election that was not needed: a pause of the commits of some milliseconds, never a second leader.
 * Then the first member in id order other than the
 * leader stands at once, the next one {@value #STAGGER_MS} ms later if there is still no
 * leader (two candidates at once would split the vote): through Ratis's own start-election request, which a leader
 * sends in a leadership transfer, here made by this member for its own server, naming the leader it has lost. Raft's
 * safety does not depend on when an election starts; a wrong guess costs an election, never a second leader.
 *
 * <p>Own thread; {@link #close} stops it.
 */
final class LeaderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    /** How long the leader must have been silent before its endpoint is tried. */
    static final long SILENT_MS = 150;
    /** How long a connection attempt may take (refusal is immediate on a LAN). */
    static final int CONNECT_TIMEOUT_MS = 100;
    /** How long an accepted connection may go without any answer to a TLS handshake before the leader counts as frozen. */
    static final int ANSWER_TIMEOUT_MS = 150;
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
    private String why;

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
                why = gone(members.get(leader.toString()));
                if (UNREACHABLE.equals(why)) {
                    String peer = answeringPeer(leader.toString());
                    why = peer == null ? null : "its Raft endpoint accepted no connection within " + CONNECT_TIMEOUT_MS
                            + " ms while member " + peer + "'s did: cut off";
                }
                if (why == null) {
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
            LOG.info("{} leader {} is gone ({}; silent {} ms): {}", STANDS_FOR_ELECTION, leader, why,
                    silentMs, started ? "member " + self + " stands for election now" : "not standing now ("
                            + "Ratis refused: another election is under way or this log is behind)");
        } catch (IOException | RuntimeException e) {
            LOG.debug("leader watch: {}", e.toString());
        }
    }

    /** What {@link #gone} says when the connection itself timed out: gone only if another member answers. */
    static final String UNREACHABLE = "unreachable";

    /** A member other than {@code leader} and this one whose Raft endpoint answers a connection at all, or null. */
    private String answeringPeer(String leader) {
        for (Map.Entry<String, String> m : new java.util.TreeMap<>(members).entrySet()) {
            if (!m.getKey().equals(leader) && !m.getKey().equals(self) && reachable(m.getValue())) {
                return m.getKey();
            }
        }
        return null;
    }

    /** A connection to {@code hostPort} completes or is refused within {@value #CONNECT_TIMEOUT_MS} ms. */
    static boolean reachable(String hostPort) {
        try (Attempt a = connect(hostPort)) {
            return a.how() == How.OPEN || a.how() == How.REFUSED;
        }
    }

    /**
     * Why the process at {@code hostPort} counts as gone: nothing listens there, or it accepted a connection and then
     * did not answer a TLS handshake; {@link #UNREACHABLE} when the connection itself timed out; null when it answered.
     */
    static String gone(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        try (Attempt a = connect(hostPort)) {
            switch (a.how()) {
                case REFUSED:
                    return "its Raft endpoint refuses connections";
                case TIMED_OUT:
                    return UNREACHABLE; // a partition or a paused machine (or this member is the one cut off)
                case FAILED:
                    return null;
                default:
                    break;
            }
            a.socket().setSoTimeout(ANSWER_TIMEOUT_MS);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ANY_SERVER.getSocketFactory()
                    .createSocket(a.socket(), a.host(), a.port(), false)) {
                tls.startHandshake();
                return null; // answered
            } catch (java.net.SocketTimeoutException e) {
                return "its Raft endpoint accepted a connection but did not answer a TLS handshake within "
                        + ANSWER_TIMEOUT_MS + " ms: frozen";
            } catch (IOException | RuntimeException e) {
                return null; // an alert, a reset or a close: a live process answered
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** How a TCP connection to a member's Raft endpoint went within {@value #CONNECT_TIMEOUT_MS} ms. */
    private enum How { OPEN, REFUSED, TIMED_OUT, FAILED }

    /** One connection attempt; the socket is open only when {@code how} is OPEN, and closed with the attempt. */
    private record Attempt(How how, Socket socket, String host, int port) implements AutoCloseable {
        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was sent through it
            }
        }
    }

    /** Connects to {@code hostPort} ("host:port", IPv6 in brackets): the one parser and dialer of the watch. */
    private static Attempt connect(String hostPort) {
        Socket s = new Socket();
        String host = null;
        int port = -1;
        try {
            int colon = hostPort.lastIndexOf(':');
            host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            port = Integer.parseInt(hostPort.substring(colon + 1));
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return new Attempt(How.OPEN, s, host, port);
        } catch (ConnectException e) {
            return new Attempt(e.getMessage() != null && e.getMessage().contains("refused") ? How.REFUSED
                    : How.FAILED, s, host, port);
        } catch (java.net.SocketTimeoutException e) {
            return new Attempt(How.TIMED_OUT, s, host, port);
        } catch (IOException | RuntimeException e) {
            return new Attempt(How.FAILED, s, host, port);
        }
    }

    /**
     * A TLS context that accepts any server certificate: the handshake only asks whether a process answers, nothing
     * is sent through it, and it presents no certificate (the member's endpoint then ends the handshake with an
     * alert, which is an answer).
     */
    private static final javax.net.ssl.SSLContext ANY_SERVER = anyServer();

    private static javax.net.ssl.SSLContext anyServer() {
        try {
            javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
            c.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    // a liveness probe: the answer matters, not who gives it; nothing is sent
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return c;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
