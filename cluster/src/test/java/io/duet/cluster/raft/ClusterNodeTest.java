package io.duet.cluster.raft;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real Ratis members in one JVM on loopback: replication, stale proposals, leader loss, restart, local disk. */
class ClusterNodeTest {
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

    private void group(String... ids) {
        cluster.add(ids);
    }

    private ClusterNode start(String id) throws Exception {
        return cluster.start(id);
    }

    private void stopNode(String id) {
        cluster.stop(id);
    }

    private static byte[] doc(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Revision r) {
        return new String(r.document(), StandardCharsets.UTF_8);
    }

    private static Revision commit(ClusterNode n, long base, String text) throws Exception {
        return n.propose(base, doc(text), "test", "set " + text).get(20, TimeUnit.SECONDS);
    }

    // One voter: the embedded default commits alone.
    @Test
    void singleMemberCommits() throws Exception {
        group("a");
        ClusterNode a = start("a");
        assertThat(commit(a, 0, "one").revision()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.current().revision() == 1);
        assertThat(text(a.current())).isEqualTo("one");
        assertThat(a.status().role()).isEqualTo("LEADER");
    }

    // The leader knows how long each follower has been silent (the admin API's missing-member alert for a witness,
    // which sends no heartbeats); a follower knows nothing of the others; a stopped member's silence grows.
    @Test
    void theLeaderSeesSilentFollowers() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            start(id);
        }
        commit(cluster.node("a"), 0, "one");
        String leader = await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node("a").status().leader(),
                java.util.Objects::nonNull);
        ClusterNode lead = cluster.node(leader);
        List<String> followers = cluster.nodes().keySet().stream().filter(id -> !id.equals(leader)).sorted().toList();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lead.followerSilenceMs())
                .containsOnlyKeys(followers).allSatisfy((id, ms) -> assertThat(ms).isLessThan(1_000)));
        assertThat(cluster.node(followers.get(0)).followerSilenceMs()).isEmpty();
        stopNode(followers.get(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> lead.followerSilenceMs()
                .getOrDefault(followers.get(1), 0L) > 1_500);
    }

    // Three voters: a proposal made on any member reaches all of them, with the leader's time and in order; a
    // proposal on a stale base is refused on every member and changes nothing; history is newest first.
    @Test
    void replicatesAndRefusesStaleProposals() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            start(id);
        }
        Revision r1 = commit(cluster.node("b"), 0, "first");
        Revision r2 = commit(cluster.node("w"), r1.revision(), "second");
        assertThat(r2.revision()).isEqualTo(2);
        for (ClusterNode n : cluster.nodes().values()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == 2);
            assertThat(text(n.current())).isEqualTo("second");
            assertThat(n.current().time()).isPositive();
            assertThat(n.history()).extracting(Revision::revision).containsExactly(2L, 1L);
        }
        assertThatThrownBy(() -> commit(cluster.node("a"), 1, "late"))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StaleRevisionException.class)
                .hasMessageContaining("DUET-CLUSTER-0010").hasMessageContaining("revision 2 is current");
        assertThat(cluster.nodes().values()).allMatch(n -> n.current().revision() == 2);
    }

    // The leader goes away under a stream of writes: every acknowledged write is on both survivors, and on the old
    // leader after it restarts from its own storage.
    @Test
    void leaderLossLosesNoAcknowledgedWrite() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            start(id);
        }
        List<Long> acknowledged = new ArrayList<>();
        long base = 0;
        for (int i = 0; i < 5; i++) {
            base = commit(cluster.node("a"), base, "v" + i).revision();
            acknowledged.add(base);
        }
        String leader = cluster.node("a").status().leader();
        assertThat(leader).isNotNull();
        stopNode(leader);
        String survivor = cluster.nodes().keySet().iterator().next();
        long t0 = System.nanoTime();
        for (int i = 5; i < 10; i++) {
            long b = base;
            String v = "v" + i;
            base = await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    return commit(cluster.node(survivor), b, v).revision();
                } catch (ExecutionException | CompletionException e) {
                    if (e.getCause() instanceof StaleRevisionException s) {
                        return s.current(); // the write went through before its reply was lost: it is committed
                    }
                    return -1L;
                }
            }, r -> r > b);
            acknowledged.add(base);
        }
        System.out.printf("writes resumed %d ms after the leader stopped%n", (System.nanoTime() - t0) / 1_000_000);
        long last = base;
        for (ClusterNode n : cluster.nodes().values()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == last);
        }
        ClusterNode back = start(leader);
        await().atMost(Duration.ofSeconds(20)).until(() -> back.current().revision() == last);
        assertThat(back.history()).extracting(Revision::revision).containsAll(acknowledged);
    }

    // All members stop and start again: nothing acknowledged is lost; before the group has a leader, each member
    // already serves the last revision it applied, from its disk.
    @Test
    void restartFromDiskAndServeBeforeQuorum() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            start(id);
        }
        long base = 0;
        for (int i = 0; i < 3; i++) {
            base = commit(cluster.node("a"), base, "v" + i).revision();
        }
        long last = base;
        for (ClusterNode n : cluster.nodes().values()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == last);
        }
        for (String id : List.of("a", "b", "w")) {
            stopNode(id);
        }
        ClusterNode alone = start("a"); // no quorum: b and w are down
        assertThat(alone.current().revision()).isEqualTo(last);
        assertThat(text(alone.current())).isEqualTo("v2");
        start("b");
        start("w");
        Revision next = await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                return commit(cluster.node("b"), last, "after restart");
            } catch (ExecutionException e) {
                return null;
            }
        }, r -> r != null);
        assertThat(next.revision()).isEqualTo(last + 1);
    }

    // A restart replays the log: every member rebuilds the full history (each revision judged as the first time),
    // and a subscriber in place before the replay never hears a revision older than the one served from disk.
    @Test
    void restartReplaysTheLogWithoutFlippingBack() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            start(id);
        }
        long base = 0;
        for (int i = 0; i < 6; i++) {
            base = commit(cluster.node("a"), base, "v" + i).revision();
        }
        long last = base;
        for (ClusterNode n : cluster.nodes().values()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == last);
        }
        for (String id : List.of("a", "b", "w")) {
            stopNode(id);
        }
        Map<String, List<Long>> seen = new HashMap<>();
        for (String id : List.of("a", "b", "w")) {
            List<Long> heard = java.util.Collections.synchronizedList(new ArrayList<>());
            seen.put(id, heard);
            cluster.start(id, r -> heard.add(r.revision()));
        }
        Revision next = await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                return commit(cluster.node("b"), last, "after restart");
            } catch (ExecutionException e) {
                return null;
            }
        }, r -> r != null);
        assertThat(next.revision()).isEqualTo(last + 1);
        for (String id : List.of("a", "b", "w")) {
            ClusterNode n = cluster.node(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> n.current().revision() == last + 1);
            assertThat(n.history()).extracting(Revision::revision)
                    .containsExactly(last + 1, last, last - 1, last - 2, last - 3, last - 4, last - 5);
            assertThat(n.history()).extracting(ClusterNodeTest::text).startsWith("after restart", "v5", "v4");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.get(id).contains(last + 1));
            assertThat(seen.get(id)).as("revisions heard by %s", id).containsExactly(last + 1);
        }
    }

    // Snapshots keep the log bounded: with a snapshot every 5 entries, a member that was away catches up from the
    // leader's snapshot, history and audit trail included; its own snapshot files appear; a restart keeps the trail.
    @Test
    void snapshotsAndCatchUp() throws Exception {
        group("a", "b", "w");
        for (String id : List.of("a", "b", "w")) {
            cluster.start(id, new ClusterSettings(id, cluster.members(), cluster.dir(id), null, null, 10, 5));
        }
        stopNode("w");
        long base = 0;
        for (int i = 0; i < 23; i++) {
            base = commit(cluster.node("a"), base, "v" + i).revision();
            cluster.node(i % 2 == 0 ? "a" : "b").audit(doc("record " + i)).get(20, TimeUnit.SECONDS);
        }
        List<String> trail = new ArrayList<>();
        for (int i = 22; i >= 0; i--) {
            trail.add("record " + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> auditText(cluster.node("b"), 100).equals(trail));
        long last = base;
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.walk(cluster.dir("a"))
                .anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")));
        ClusterNode w = cluster.start("w", 
                new ClusterSettings("w", cluster.members(), cluster.dir("w"), null, null, 10, 5));
        await().atMost(Duration.ofSeconds(20)).until(() -> w.current().revision() == last);
        assertThat(text(w.current())).isEqualTo("v22");
        assertThat(w.history()).hasSizeLessThanOrEqualTo(10).first().extracting(Revision::revision).isEqualTo(last);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditText(w, 100).equals(trail));
        assertThat(auditText(w, 3)).containsExactly("record 22", "record 21", "record 20");
        assertThat(w.auditTrail(100)).extracting(Map.Entry::getKey).allMatch(t -> t > 0);

        stopNode("a");
        ClusterNode a = cluster.start("a", 
                new ClusterSettings("a", cluster.members(), cluster.dir("a"), null, null, 10, 5));
        await().atMost(Duration.ofSeconds(20)).until(() -> auditText(a, 100).equals(trail));
    }

    // The replicated document holds password hashes and sealed keys: the Raft directory is 0700 (Ratis writes its
    // log with the process's umask), snapshots and the last-applied copy are 0600, whatever the umask.
    @Test
    void theDocumentOnDiskIsPrivate() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"), "needs a file system with POSIX permissions");
        group("a");
        ClusterNode a = cluster.start("a", 
                new ClusterSettings("a", cluster.members(), cluster.dir("a"), null, null, 10, 2));
        long base = 0;
        for (int i = 0; i < 5; i++) {
            base = commit(a, base, "secret " + i).revision();
        }
        Path raft = dir.resolve("a/raft");
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.walk(raft)
                .anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")));
        assertThat(mode(raft)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/last-applied.bin"))).isEqualTo("rw-------");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(raft)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("snapshot.")).toList())
                    .isNotEmpty().allSatisfy(p -> assertThat(mode(p)).isEqualTo("rw-------"));
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }

    private static List<String> auditText(ClusterNode n, int max) {
        return n.auditTrail(max).stream().map(e -> new String(e.getValue(), StandardCharsets.UTF_8)).toList();
    }

    // A Raft port already in use fails the start with an exception; Ratis's System.exit is disarmed, so the JVM (and
    // with it the data plane) lives on.
    @Test
    void portInUseFailsWithoutExitingTheJvm() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            cluster.members().put("a", "127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> start("a")).satisfies(e -> assertThat(e.toString() + e.getCause())
                    .containsAnyOf("DUET-CLUSTER-0005", "Address already in use", "bind"));
        }
        cluster.members().clear();
        group("b");
        assertThat(commit(start("b"), 0, "still alive").revision()).isEqualTo(1);
    }

    // Group sizes other than 1, 3 and 5 are refused with a clear message.
    // Tools without a quorum (one member of three running, the others never started): every call of the client the
    // CLI uses answers within its deadline, with an error or, for status, with what the members said, instead of
    // retrying for ever (issue 16, item 4). The four calls run at once.
    @Test
    void toolsAnswerWithoutQuorumWithinTheDeadline() throws Exception {
        group("a", "b", "c");
        start("a");
        long bound = ClusterClient.DEADLINE_MS + 5_000;
        try (ClusterClient c = ClusterClient.connect(cluster.members())) {
            Map<String, java.util.concurrent.Callable<String>> calls = new java.util.LinkedHashMap<>();
            calls.put("current", () -> {
                c.current();
                return "answered";
            });
            calls.put("propose", () -> {
                c.propose(0, doc("x"), "test", "x");
                return "committed";
            });
            calls.put("handoff", () -> {
                c.handoff("a", true);
                return "committed";
            });
            calls.put("status", () -> {
                ClusterClient.View v = c.status(cluster.members());
                assertThat(v.leader()).isNull();
                assertThat(v.members()).extracting(ClusterClient.Member::reachable)
                        .containsExactly(true, false, false); // a answers for itself
                return v.problem();
            });
            Map<String, java.util.concurrent.CompletableFuture<String>> running = new java.util.LinkedHashMap<>();
            Map<String, Long> took = new java.util.concurrent.ConcurrentHashMap<>();
            calls.forEach((name, call) -> running.put(name, java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                long t0 = System.nanoTime();
                try {
                    return call.call();
                } catch (Exception e) {
                    return e.getMessage();
                } finally {
                    took.put(name, (System.nanoTime() - t0) / 1_000_000);
                }
            })));
            for (var e : running.entrySet()) {
                String outcome = e.getValue().get(bound + 10_000, TimeUnit.MILLISECONDS);
                assertThat(outcome).as("%s without a quorum", e.getKey()).containsPattern("DUET-CLUSTER-002[01]");
                assertThat(took.get(e.getKey())).as("%s answered within its deadline", e.getKey()).isLessThan(bound);
            }
        }
    }

    @Test
    void groupSizes() {
        assertThatThrownBy(() -> new ClusterSettings("a", Map.of("a", "127.0.0.1:1", "b", "127.0.0.1:2"),
                dir)).hasMessageContaining("DUET-CLUSTER-0001").hasMessageContaining("witness");
        assertThatThrownBy(() -> new ClusterSettings("x", Map.of("a", "127.0.0.1:1"), dir))
                .hasMessageContaining("DUET-CLUSTER-0002");
    }
}
