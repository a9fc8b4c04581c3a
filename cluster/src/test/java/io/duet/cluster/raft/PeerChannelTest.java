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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Members' messages outside the log, over the Raft port's mutual TLS: they arrive with their sender, the one its
 * certificate names; a member claiming to be another, or a party with another CA's certificate, is refused.
 */
class PeerChannelTest {
    @TempDir
    Path dir;
    private MiniCluster cluster;
    private final ClusterAuthority ca = ClusterAuthority.create("test", Clock.systemUTC());

    @BeforeEach
    void cluster() {
        cluster = new MiniCluster(dir).add("a", "b", "w");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ClusterSettings.Tls tls(String id, ClusterAuthority authority) {
        ClusterAuthority.Member m = authority.issue(id, List.of("127.0.0.1"), Clock.systemUTC());
        return new ClusterSettings.Tls(m.key(), m.certificate(), m.ca());
    }

    private ClusterNode start(String id) throws Exception {
        return cluster.start(id, new ClusterSettings(id, cluster.members(), cluster.dir(id)).withTls(tls(id, ca)));
    }

    @Test
    void aMessageArrivesWithTheSenderItsCertificateNames() throws Exception {
        ClusterNode a = start("a");
        ClusterNode b = start("b");
        List<PeerChannel.Message> got = new CopyOnWriteArrayList<>();
        b.peers().subscribe("counts", got::add);
        assertThat(a.peers().others()).containsExactly("b", "w");
        a.peers().tell("b", "counts", "hello".getBytes(StandardCharsets.UTF_8), 5_000).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty());
        assertThat(got.get(0).from()).isEqualTo("a");
        assertThat(got.get(0).topic()).isEqualTo("counts");
        assertThat(new String(got.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        // a topic nobody subscribed to is answered and dropped (a peer of another release)
        a.peers().tell("b", "other", new byte[3], 5_000).get(10, TimeUnit.SECONDS);
        assertThat(got).hasSize(1);
    }

    @Test
    void aMemberClaimingToBeAnotherAndAStrangerAreRefused() throws Exception {
        start("b");
        List<PeerChannel.Message> got = new CopyOnWriteArrayList<>();
        cluster.node("b").peers().subscribe("counts", got::add);
        // a's certificate, a frame that says "w"
        try (PeerChannel liar = new PeerChannel("w", cluster.members(), ClusterNode.tlsConfig(tls("a", ca)))) {
            assertThatThrownBy(() -> liar.tell("b", "counts", new byte[1], 5_000).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("PERMISSION_DENIED");
        }
        // a certificate of another CA: the handshake fails
        ClusterAuthority other = ClusterAuthority.create("other", Clock.systemUTC());
        try (PeerChannel stranger = new PeerChannel("a", cluster.members(), ClusterNode.tlsConfig(tls("a", other)))) {
            assertThatThrownBy(() -> stranger.tell("b", "counts", new byte[1], 5_000).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(got).isEmpty();
    }
}
