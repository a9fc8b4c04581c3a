package io.duet.cluster.raft;

import io.duet.tls.ClusterAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Members over mutual TLS with certificates from the cluster's own CA: they replicate; a member whose certificate
 * comes from another CA takes no part (the others refuse its handshakes, it refuses theirs) and learns nothing.
 */
class ClusterTlsTest {
    @TempDir
    Path dir;
    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private ClusterNode start(String id, Map<String, String> members, ClusterAuthority ca) throws Exception {
        ClusterAuthority.Member m = ca.issue(id, List.of("127.0.0.1"), Clock.systemUTC());
        ClusterNode n = ClusterNode.start(new ClusterSettings(id, members, dir.resolve(id))
                .withTls(new ClusterSettings.Tls(m.key(), m.certificate(), m.ca())));
        nodes.add(n);
        return n;
    }

    // Three members of one CA commit and replicate; an impostor with another CA's certificate in the third seat is
    // shut out while the two genuine members still form a majority.
    @Test
    void membersOfTheClusterCaReplicateAnImpostorIsRefused() throws Exception {
        Map<String, String> members = new TreeMap<>(Map.of("a", "127.0.0.1:" + freePort(), "b",
                "127.0.0.1:" + freePort(), "w", "127.0.0.1:" + freePort()));
        ClusterAuthority ca = ClusterAuthority.create("test", Clock.systemUTC());
        ClusterNode a = start("a", members, ca);
        ClusterNode b = start("b", members, ca);
        ClusterNode w = start("w", members, ca);
        Revision r = await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                return a.propose(0, "one".getBytes(StandardCharsets.UTF_8), "t", "one").get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null;
            }
        }, x -> x != null);
        for (ClusterNode n : List.of(a, b, w)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == r.revision());
        }

        // The witness is replaced by an impostor holding a certificate from another CA (same id, same address).
        nodes.remove(w);
        w.close();
        ClusterAuthority other = ClusterAuthority.create("other", Clock.systemUTC());
        Path impostorDir = dir.resolve("impostor");
        ClusterAuthority.Member m = other.issue("w", List.of("127.0.0.1"), Clock.systemUTC());
        ClusterNode impostor = ClusterNode.start(new ClusterSettings("w", members, impostorDir)
                .withTls(new ClusterSettings.Tls(m.key(), m.certificate(), m.ca())));
        nodes.add(impostor);
        long base = r.revision();
        for (int i = 0; i < 3; i++) {
            long b0 = base;
            base = await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    return b.propose(b0, ("v" + b0).getBytes(StandardCharsets.UTF_8), "t", "v").get(10,
                            TimeUnit.SECONDS).revision();
                } catch (Exception e) {
                    return null;
                }
            }, x -> x != null);
        }
        long last = base;
        await().atMost(Duration.ofSeconds(10)).until(() -> a.current().revision() == last);
        assertThat(impostor.current().revision()).as("the impostor learned nothing").isZero();
        assertThatThrownBy(() -> impostor.propose(0, "evil".getBytes(StandardCharsets.UTF_8), "x", "x")
                .get(15, TimeUnit.SECONDS)).as("the impostor cannot write").isNotNull();
        assertThat(a.current().revision()).isEqualTo(last);
        assertThat(new String(a.current().document(), StandardCharsets.UTF_8)).isEqualTo("v" + (last - 1));
    }
}
