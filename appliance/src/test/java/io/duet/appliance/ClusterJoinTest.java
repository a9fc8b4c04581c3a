package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.Node;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.membership.JoinProtocol;
import io.duet.cluster.membership.JoinService;
import io.duet.cluster.membership.JoinToken;
import io.duet.cluster.membership.JoinTokens;
import io.duet.testkit.tls.TrustOnly;
import io.duet.tls.CertificateImport;
import io.duet.tls.ClusterAuthority;
import io.duet.tls.KeyVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cluster security set-up as an operator runs it: {@code duet cluster init} on a, a's join endpoint (the real
 * Undertow HTTPS service), {@code duet cluster join} on b and the witness; and everything that must be refused
 * with a clear error and nothing written: a used, expired or foreign token, another cluster's endpoint, differing
 * member lists, hostile requests, a second init, an old Raft log, a start without an identity.
 */
class ClusterJoinTest {
    @TempDir
    Path dir;
    private String members;
    private final Map<String, Integer> joinPorts = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final MovableClock serviceClock = new MovableClock();
    private String initOutput;
    private KeyVault vaultA;

    /** A clock the test moves forward (token expiry); starts at the real time. */
    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Map<String, String> env(String id, String memberList) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DUET_NODE_ID", id);
        env.put("DUET_DATA_DIR", dir.resolve(id).toString());
        env.put("DUET_CLUSTER_MEMBERS", memberList);
        env.put("DUET_PROXY_ADDRESS", "127.0.0.1");
        env.put("DUET_PROXY_PORT", "0");
        env.put("DUET_PROXY_TLS_PORT", "0");
        env.put("DUET_MANAGEMENT_PORT", "0");
        env.put("DUET_ADMIN_PORT", "0");
        if (!joinPorts.containsKey(id)) {
            joinPorts.put(id, freePort());
        }
        env.put("DUET_CLUSTER_JOIN_PORT", String.valueOf(joinPorts.get(id)));
        return env;
    }

    private NodeBootstrap bootstrap(String id) throws Exception {
        return BootstrapReader.read(null, dir.resolve("absent.properties"), env(id, members));
    }

    record Cli(int code, String out, String err) {
    }

    private Cli cli(String id, String... args) throws Exception {
        return cliWith(id, members, args);
    }

    private Cli cliWith(String id, String memberList, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine c = Main.commandLine(env(id, memberList), dir.resolve("absent.properties"));
        c.setOut(new PrintWriter(out, true));
        c.setErr(new PrintWriter(err, true));
        return new Cli(c.execute(args), out.toString(), err.toString());
    }

    @BeforeEach
    void initAndServe() throws Exception {
        members = "a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort() + ",w=127.0.0.1:" + freePort();
        Cli init = cli("a", "cluster", "init", "--witness", "w");
        assertThat(init.code()).as(init.err()).isZero();
        initOutput = init.out();
        NodeBootstrap a = bootstrap("a");
        vaultA = ClusterIdentity.vault(a.site());
        open.add(JoinService.start(a.site(), ClusterIdentity.load(a.site(), vaultA), vaultA, serviceClock));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private String token(String node) {
        return InitOutput.tokenFor(initOutput, node);
    }

    @Test
    void initPrintsOneTokenPerOtherMemberAndKeepsItsKeysSealed() throws Exception {
        assertThat(initOutput).contains("DUET-CLUSTER-0052 cluster created: CA sha256:", "on b:", "on w:")
                .doesNotContain("on a:");
        // The lines are ready to copy: the witness's has --witness (init --witness w), the proxy's not.
        assertThat(initOutput).containsPattern("on w: +duet cluster join --witness --token duet-join-v1\\.")
                .containsPattern("on b: +duet cluster join --token duet-join-v1\\.");
        Path tls = ClusterIdentity.dir(bootstrap("a").site());
        assertThat(Files.getPosixFilePermissions(tls)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String f : List.of("ca.pem", "ca.key", "member.pem", "member.key", "member.properties",
                "tokens.json")) {
            assertThat(Files.getPosixFilePermissions(tls.resolve(f))).as(f)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Files.readString(tls.resolve("ca.key"))).startsWith(KeyVault.PREFIX);
        assertThat(Files.readString(tls.resolve("member.key"))).startsWith(KeyVault.PREFIX);
        String tokens = Files.readString(tls.resolve("tokens.json"));
        JoinToken b = JoinToken.parse(token("b"));
        assertThat(tokens).contains(JoinTokens.hash(b.secret())).doesNotContain(b.secret());
        assertThat(b.endpoint()).isEqualTo("127.0.0.1:" + joinPorts.get("a"));

        Cli notAMember = cli("a", "cluster", "init", "--witness", "x");
        assertThat(notAMember.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAMember.err()).startsWith("DUET-CLI-0007 --witness 'x' is not another member");
        Cli again = cli("a", "cluster", "init");
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).startsWith("DUET-CLI-0010 node a already has a cluster identity");
    }

    @Test
    void aProxyGetsTheClusterDataKeyAndCaKeyAWitnessGetsNeither() throws Exception {
        NodeBootstrap bb = bootstrap("b");
        KeyVault before = ClusterIdentity.vault(bb.site()); // b ran standalone before: it has a data key of its own
        assertThat(before.keyId()).isNotEqualTo(vaultA.keyId());

        Cli joinB = cli("b", "cluster", "join", "--token", token("b"));
        assertThat(joinB.code()).as(joinB.err()).isZero();
        assertThat(joinB.out()).contains("DUET-CLUSTER-0053 node b joined the cluster sha256:", "as proxy",
                "data key " + vaultA.keyId());
        assertThat(ClusterIdentity.vault(bb.site()).keyId()).isEqualTo(vaultA.keyId());
        assertThat(bb.dataDir().resolve("keys").resolve("data.key." + before.keyId() + ".replaced")).exists();
        ClusterIdentity b = ClusterIdentity.load(bb.site(), ClusterIdentity.vault(bb.site()));
        ClusterIdentity a = ClusterIdentity.load(bootstrap("a").site(), vaultA);
        assertThat(b.witness()).isFalse();
        assertThat(b.sealedCaKey()).isNotNull();
        assertThat(b.ca()).isEqualTo(a.ca());
        assertThat(b.certificate().getSubjectX500Principal().getName()).contains("CN=b");
        assertThat(b.certificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .contains("b", "127.0.0.1");
        assertThat(ClusterAuthority.of(null, a.ca()).issued(b.certificate())).isTrue();
        // b can now make tokens itself (it holds the CA key).
        Cli fromB = cli("b", "cluster", "token", "--node", "w");
        assertThat(fromB.code()).as(fromB.err()).isZero();
        assertThat(fromB.out()).contains("on w:  duet cluster join --token duet-join-v1.");

        Cli joinW = cli("w", "cluster", "join", "--witness", "--token", token("w"));
        assertThat(joinW.code()).as(joinW.err()).isZero();
        assertThat(joinW.out()).contains("as witness", "no data key was sent");
        NodeBootstrap wb = bootstrap("w");
        ClusterIdentity w = ClusterIdentity.load(wb.site(), ClusterIdentity.vault(wb.site()));
        assertThat(w.witness()).isTrue();
        assertThat(w.sealedCaKey()).isNull();
        assertThat(ClusterIdentity.dir(wb.site()).resolve("ca.key")).doesNotExist();
        assertThat(ClusterIdentity.vault(wb.site()).keyId()).isNotEqualTo(vaultA.keyId());
        Cli tokenOnWitness = cli("w", "cluster", "token", "--node", "b");
        assertThat(tokenOnWitness.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tokenOnWitness.err()).startsWith("DUET-CLI-0012");
        assertThatThrownBy(() -> Node.start(wb, false)).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("DUET-NODE-0018 node w joined the cluster as a witness");

        Cli twice = cli("b", "cluster", "join", "--token", token("b"));
        assertThat(twice.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(twice.err()).startsWith("DUET-CLI-0010");
    }

    @Test
    void aTokenWorksOnceForItsOwnNodeAndUntilItExpires() throws Exception {
        Cli wrongNode = cli("w", "cluster", "join", "--witness", "--token", token("b"));
        assertThat(wrongNode.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(wrongNode.err()).startsWith("DUET-JOIN-0004 the join token is not valid on a");
        assertThat(ClusterIdentity.dir(bootstrap("w").site())).doesNotExist();

        assertThat(cli("b", "cluster", "join", "--token", token("b")).code()).isZero();
        deleteTree(dir.resolve("b")); // b's disk is lost; the used token does not work again
        Cli reused = cli("b", "cluster", "join", "--token", token("b"));
        assertThat(reused.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(reused.err()).startsWith("DUET-JOIN-0004");

        serviceClock.offset = Duration.ofMinutes(61); // the default life is one hour
        Cli expired = cli("w", "cluster", "join", "--witness", "--token", token("w"));
        assertThat(expired.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(expired.err()).startsWith("DUET-JOIN-0004");
        Cli fresh = cli("a", "cluster", "token", "--node", "w", "--ttl", "2h");
        assertThat(fresh.code()).as(fresh.err()).isZero();
        String t = fresh.out().replaceAll("(?s).*--token (\\S+).*", "$1");
        assertThat(cli("w", "cluster", "join", "--witness", "--token", t).code()).isZero();
    }

    @Test
    void redeemingOneTokenTwiceAtOnceSucceedsOnce() throws Exception {
        JoinTokens tokens = new JoinTokens(dir.resolve("race"), Clock.systemUTC(), io.duet.config.store.PrivateFile::write);
        JoinToken t = tokens.issue("b", Duration.ofMinutes(5), "127.0.0.1:1", "sha256:" + "0".repeat(64));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JoinTokens.Outcome>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<JoinTokens.Outcome>) () -> {
                    go.await();
                    return tokens.redeem(t.secret(), "b").outcome();
                }));
            }
            go.countDown();
            List<JoinTokens.Outcome> outcomes = new ArrayList<>();
            for (Future<JoinTokens.Outcome> f : results) {
                outcomes.add(f.get());
            }
            assertThat(outcomes).containsOnlyOnce(JoinTokens.Outcome.OK)
                    .filteredOn(o -> o != JoinTokens.Outcome.OK).containsOnly(JoinTokens.Outcome.USED);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEndpointOfAnotherClusterIsNotTrustedAndNothingIsSent() throws Exception {
        JoinToken real = JoinToken.parse(token("b"));
        String otherPin = "sha256:" + "ab".repeat(32);
        JoinToken forged = new JoinToken(real.endpoint(), otherPin, real.secret());
        Cli r = cli("b", "cluster", "join", "--token", forged.encode());
        assertThat(r.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(r.err()).startsWith("DUET-JOIN-0003 the join endpoint 127.0.0.1:" + joinPorts.get("a")
                + " is not the cluster the token names").contains("its CA has pin sha256:", "Nothing was sent");
        assertThat(ClusterIdentity.dir(bootstrap("b").site())).doesNotExist();
        // The secret never reached the endpoint: the real token still works.
        assertThat(cli("b", "cluster", "join", "--token", token("b")).code()).isZero();
    }

    @Test
    void differingMemberListsAreRefusedWithoutUsingTheToken() throws Exception {
        String wrong = members.replaceAll("w=127\\.0\\.0\\.1:\\d+", "w=127.0.0.1:1");
        Cli r = cliWith("b", wrong, "cluster", "join", "--token", token("b"));
        assertThat(r.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(r.err()).startsWith("DUET-JOIN-0005 cluster.members differ");
        assertThat(cli("b", "cluster", "join", "--token", token("b")).code()).isZero();
    }

    @Test
    void malformedTokensUnreachableEndpointsAndOldRaftLogsAreClearErrors() throws Exception {
        Cli notAToken = cli("b", "cluster", "join", "--token", "hello");
        assertThat(notAToken.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAToken.err()).startsWith("DUET-JOIN-0001 a join token starts with 'duet-join-v1.'");
        Cli damaged = cli("b", "cluster", "join", "--token", token("b").substring(0, 40));
        assertThat(damaged.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(damaged.err()).startsWith("DUET-JOIN-0001 the join token is damaged");

        JoinToken real = JoinToken.parse(token("b"));
        JoinToken nowhere = new JoinToken("127.0.0.1:" + freePort(), real.pin(), real.secret());
        Cli unreachable = cli("b", "cluster", "join", "--timeout", "3s", "--token", nowhere.encode());
        assertThat(unreachable.code()).isEqualTo(ExitCodes.STARTUP);
        assertThat(unreachable.err()).startsWith("DUET-JOIN-0002 cannot reach the join endpoint");

        Files.createDirectories(dir.resolve("b/cluster/raft/some-group"));
        Cli oldLog = cli("b", "cluster", "join", "--token", token("b"));
        assertThat(oldLog.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(oldLog.err()).startsWith("DUET-CLI-0011").contains("holds a Raft log from before");
    }

    @Test
    void aMemberWithoutAnIdentityDoesNotStart() throws Exception {
        assertThatThrownBy(() -> Node.start(bootstrap("b"), false)).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("DUET-NODE-0017 node b has no cluster identity")
                .hasMessageContaining("duet cluster init", "duet cluster join --token");
        Cli witness = cli("w", "witness");
        assertThat(witness.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(witness.err()).startsWith("DUET-NODE-0017");
        Cli status = cli("b", "cluster", "status");
        assertThat(status.err()).contains("DUET-NODE-0017");
    }

    @Test
    void hostileRequestsToTheJoinEndpointGetClearErrors() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustingCa()).version(HttpClient.Version.HTTP_1_1)
                .build();
        String base = "https://127.0.0.1:" + joinPorts.get("a");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + JoinProtocol.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).contains("DUET-JOIN-0009");
        assertThat(post(http, base + "/other", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> big = post(http, base + JoinProtocol.PATH, "{\"x\":\"" + "a".repeat(20_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> broken = post(http, base + JoinProtocol.PATH, "{");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("\"id\":\"DUET-JOIN-0006\"");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaKey = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
        HttpResponse<String> wrongKey = post(http, base + JoinProtocol.PATH, "{\"secret\":\""
                + JoinToken.parse(token("b")).secret() + "\",\"node\":\"b\",\"publicKey\":\"" + rsaKey
                + "\",\"witness\":false,\"members\":{}}");
        assertThat(wrongKey.statusCode()).isEqualTo(400);
        HttpResponse<String> guessed = post(http, base + JoinProtocol.PATH, "{\"secret\":\"" + "A".repeat(43)
                + "\",\"node\":\"b\",\"publicKey\":\"" + Base64.getEncoder().encodeToString(
                ClusterAuthority.newMemberKeyPair().getPublic().getEncoded())
                + "\",\"witness\":true,\"members\":{}}");
        assertThat(guessed.statusCode()).isEqualTo(403);
        assertThat(guessed.body()).contains("DUET-JOIN-0004").doesNotContain("was not issued");
        // After all that, the real token is unused.
        assertThat(cli("b", "cluster", "join", "--token", token("b")).code()).isZero();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private SSLContext trustingCa() throws Exception {
        return TrustOnly.context(CertificateImport.readCertificates(Files.readString(
                ClusterIdentity.dir(bootstrap("a").site()).resolve("ca.pem"))).get(0));
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
