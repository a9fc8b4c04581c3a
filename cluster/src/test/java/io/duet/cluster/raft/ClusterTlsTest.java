package io.duet.cluster.raft;

import io.duet.tls.ClusterAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    private MiniCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = new MiniCluster(dir);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A member holding a certificate for its id from {@code ca}, in its own seat and data directory. */
    private ClusterNode start(String id, ClusterAuthority ca, Path dataDir) throws Exception {
        ClusterAuthority.Member m = ca.issue(id, List.of("127.0.0.1"), Clock.systemUTC());
        return cluster.start(id, new ClusterSettings(id, cluster.members(), dataDir)
                .withTls(new ClusterSettings.Tls(m.key(), m.certificate(), m.ca())));
    }

    // Three members of one CA commit and replicate; an impostor with another CA's certificate in the third seat is
    // shut out while the two genuine members still form a majority.
    @Test
    void membersOfTheClusterCaReplicateAnImpostorIsRefused() throws Exception {
        cluster.add("a", "b", "w");
        ClusterAuthority ca = ClusterAuthority.create("test", Clock.systemUTC());
        ClusterNode a = start("a", ca, cluster.dir("a"));
        ClusterNode b = start("b", ca, cluster.dir("b"));
        ClusterNode w = start("w", ca, cluster.dir("w"));
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
        cluster.stop("w");
        ClusterAuthority other = ClusterAuthority.create("other", Clock.systemUTC());
        ClusterNode impostor = start("w", other, dir.resolve("impostor"));
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
