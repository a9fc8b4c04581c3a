package io.duet.appliance.lab;

import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pair end to end, in network namespaces this test builds: two Duet nodes (real {@code duet run} JVMs with
 * {@code cluster.interface eth0}) and a witness on a bridge, a backend, and a client probing each VIP every 50 ms on a
 * new connection through the proxy to the backend (the backend names the node that forwarded the request). Kill -9
 * of an owner (5 runs, the takeover distribution printed), restart with failback, a partition (the isolated node
 * drops its VIP before the other claims it) and a planned handoff; the kernel's address events of both nodes are
 * recorded throughout and no VIP is ever on both nodes at once.
 */
@Tag("needs-root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PairFailoverLabTest {
    static final String VIP_A = Lab.NET + "100";
    static final String VIP_B = Lab.NET + "101";
    static final int PROBE_TIMEOUT_MS = 2000;
    /**
     * The longest a VIP may stay configured on both nodes: a planned move hands it over (the old holder quiet, serving
     * the connections that began there, for 0.5 s after the new one has it; VipAgent.LEAVE_SETTLE_MS) and a frozen
     * node's address outlives its closed gate by up to its 1 s kernel lifetime.
     */
    static final long HANDOVER_MAX_MS = 1_500;
    private static final List<String> NODE_JVM = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** One probe of the client: started at {@code startMs}, took {@code ms}; {@code via} the node that forwarded. */
    record Probe(long startMs, String vip, boolean ok, String via, long ms) {
        long endMs() {
            return startMs + ms;
        }
    }

    private Lab lab;
    private Path logs;
    private Path data;
    private AddressLog addresses;
    private LabProcess backend;
    private LabProcess witness;
    /** Kill -9 runs: enough for a p95 (issue 16 asks for at least 20). */
    private static final int KILL_RUNS = 20;
    /** Runs of each freeze and of the cut link (issue 16 asks for at least 20). */
    private static final int FAULT_RUNS = 20;
    private LabProcess prober;
    private LabProcess neighbours;
    private final Map<String, LabProcess> nodes = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private String members;

    @BeforeAll
    void buildLab() throws Exception {
        // The nodes announce VIPs with arping and drain them with nft; the test stops nodes with kill (procps).
        Requirements.requireNetworkNamespaces();
        Requirements.requireTool(Tool.ARPING);
        Requirements.requireTool(Tool.NFT);
        Requirements.requireTool(Tool.PROCPS);
        Map<String, Integer> hosts = new LinkedHashMap<>();
        hosts.put("a", 11);
        hosts.put("b", 12);
        hosts.put("w", 13);
        hosts.put("c", 20);
        hosts.put("be", 30);
        lab = Lab.build(hosts);
        logs = Path.of("target", "lab-logs", lab.ns("run")).toAbsolutePath();
        data = Files.createTempDirectory("duet-lab-");
        System.out.println("lab namespaces " + lab.ns("*") + ", logs in " + logs);
        addresses = AddressLog.start(lab, List.of("a", "b"), Set.of(VIP_A, VIP_B), logs);
        // The client's neighbour table (which MAC it sends each VIP to), for the logs.
        neighbours = LabProcess.wrap("neigh", new ProcessBuilder("ip", "-n", lab.ns("c"), "-ts", "monitor", "neigh")
                .redirectErrorStream(true).start(), logs.resolve("neigh-c.log"), line -> { });
        Lab.sh("ip", "-n", lab.ns("c"), "link", "show", "eth0");
        for (String h : List.of("a", "b")) {
            System.out.println("MAC of " + h + ": " + Lab.sh("ip", "-n", lab.ns(h), "-br", "link", "show", "eth0"));
        }
        backend = LabProcess.start("be", lab.in("be"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                LabBackend.class.getName(), List.of(lab.address("be"), "8081"), Map.of(), logs.resolve("be.log"),
                null);
        members = "a=" + lab.address("a") + ":9700,b=" + lab.address("b") + ":9700,w=" + lab.address("w") + ":9700";
        // As an operator sets up a pair: init on a, start a, join b and the witness with the printed tokens
        // (through a's join endpoint, across the lab network), start them; members then talk over mutual TLS.
        String init = cli("a", "cluster", "init");
        assertThat(init).contains("DUET-CLUSTER-0052");
        startNode("a");
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get("a").printed("node a started"));
        assertThat(cli("b", "cluster", "join", "--token", io.duet.appliance.InitOutput.tokenFor(init,
                "b"))).contains("DUET-CLUSTER-0053 node b joined");
        assertThat(cli("w", "cluster", "join", "--witness", "--token",
                io.duet.appliance.InitOutput.tokenFor(init, "w"))).contains("DUET-CLUSTER-0053 node w joined");
        witness = LabProcess.start("w", lab.in("w"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                "io.duet.appliance.Main", List.of("witness"), env("w"), logs.resolve("w.log"), null);
        startNode("b");
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get("b").printed("node b started")
                && backend.printed("LISTENING"));
        Path doc = Lab.write(data.resolve("lab.yaml"), """
                listeners:
                  - { name: http, address: 0.0.0.0, port: 8080 }
                  - { name: https, address: 0.0.0.0, port: 8443, protocol: https }
                virtualHosts:
                  - name: lab
                    hostnames: [lab]
                    defaultHost: true
                    routes:
                      - { name: all, match: {}, pool: backend }
                pools:
                  - name: backend
                    servers: [{ id: be, address: %s, port: 8081 }]
                vips:
                  - { address: %s, preferredNode: a }
                  - { address: %s, preferredNode: b }
                """.formatted(lab.address("be"), VIP_A, VIP_B));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                cli("a", "config", "import", doc.toString()).contains("imported as revision"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lab.vipsOn("a", List.of(VIP_A, VIP_B)).equals(List.of(VIP_A))
                && lab.vipsOn("b", List.of(VIP_A, VIP_B)).equals(List.of(VIP_B)));
        // duet status on the witness: it runs no management server, its Raft member is its sign of life (it said
        // "not answering" before).
        assertThat(cli("w", "status")).contains("process: running (a witness").doesNotContain("not answering");
        // Tool commands print their answer, not the cluster libraries' INFO lines.
        assertThat(cli("b", "cluster", "status")).contains("LEADER").doesNotContain(" INFO ")
                .doesNotContainPattern("(?m)^INFO:"); // logback's and java.util.logging's
        prober = LabProcess.start("c", lab.in("c"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                LabProber.class.getName(), List.of("8080", "50", Integer.toString(PROBE_TIMEOUT_MS), "2400", VIP_A,
                        VIP_B), Map.of(), logs.resolve("c.log"), this::probeLine);
        long t = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> servedBy(VIP_A, "a", t) != null
                && servedBy(VIP_B, "b", t) != null);
    }

    @AfterAll
    void tearDown() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(nodes.values());
        all.add(witness);
        all.add(prober);
        all.add(backend);
        all.add(addresses);
        all.add(neighbours);
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing
                }
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    private Map<String, String> env(String id) {
        Map<String, String> env = new HashMap<>();
        env.put("DUET_NODE_ID", id);
        env.put("DUET_DATA_DIR", data.resolve(id).toString());
        env.put("DUET_PROXY_ADDRESS", "0.0.0.0");
        env.put("DUET_PROXY_PORT", "8080");
        env.put("DUET_PROXY_TLS_PORT", "8443");
        env.put("DUET_CLUSTER_MEMBERS", members);
        env.put("DUET_CLUSTER_INTERFACE", "eth0");
        env.put("DUET_IO_THREADS", "2");
        return env;
    }

    private LabProcess startNode(String id) throws IOException {
        int n = starts.merge(id, 1, Integer::sum);
        LabProcess p = LabProcess.start(id, lab.in(id), NODE_JVM, "io.duet.appliance.Main", List.of("run"), env(id),
                logs.resolve(id + "-" + n + ".log"), null);
        nodes.put(id, p);
        return p;
    }

    /** Runs the CLI inside a node's namespace (bounded) and returns its output. */
    private String cli(String id, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(lab.in(id));
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.duet.appliance.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env(id));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(p.getInputStream().readAllBytes());
    }

    private void probeLine(String line) {
        Probe p = probe(line);
        if (p != null) {
            probes.add(p);
        }
    }

    /** A prober's line as a probe, or null. */
    private Probe probe(String line) {
        String[] f = line.split(" ");
        if (f.length == 6 && f[0].equals("PROBE")) {
            boolean ok = f[3].equals("ok");
            String via = ok ? (f[4].equals(lab.address("a")) ? "a" : f[4].equals(lab.address("b")) ? "b" : f[4])
                    : f[4];
            return new Probe(Long.parseLong(f[1]), f[2], ok, via, Long.parseLong(f[5]));
        }
        return null;
    }

    /**
     * Never two nodes answering for a VIP (the ARP gate: {@link AddressLog#answeringOverlaps}); a VIP configured on
     * both only while one of them hands it over (quiet, for the connections that began there: VipAgent) or is frozen
     * with its gate closed, each time for less than {@code maxMs}.
     */
    private void assertNeverTwoAnswering(long maxMs) {
        assertThat(addresses.answeringOverlaps()).as("two nodes answering for a VIP at once").isEmpty();
        assertThat(addresses.overlaps()).as("a VIP configured on both nodes for long").allMatch(o -> o.ms() < maxMs);
    }

    /** The first successful probe of {@code vip} forwarded by {@code node} that started at or after {@code fromMs}. */
    private Probe servedBy(String vip, String node, long fromMs) {
        return probes.stream().filter(p -> p.vip().equals(vip) && p.ok() && p.via().equals(node)
                && p.startMs() >= fromMs).findFirst().orElse(null);
    }

    private List<Probe> failed(String vip, long fromMs, long toMs) {
        return probes.stream().filter(p -> p.vip().equals(vip) && !p.ok() && p.endMs() >= fromMs
                && p.startMs() <= toMs).toList();
    }

    /** Every probe of the last probe timeout (and since {@code from}) succeeded: nothing earlier still in flight. */
    private void awaitQuiet() {
        long from = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            long now = System.currentTimeMillis();
            return now - from > PROBE_TIMEOUT_MS
                    && probes.stream().filter(p -> p.endMs() >= now - PROBE_TIMEOUT_MS).allMatch(Probe::ok);
        });
    }

    private static String owner(String vip) {
        return vip.equals(VIP_A) ? "a" : "b";
    }

    private static String peer(String node) {
        return node.equals("a") ? "b" : "a";
    }

    /**
     * Both VIPs on their preferred nodes and answered through them (the steady state of failback immediate), and
     * every probe started in the last probe timeout succeeded (nothing from an earlier scenario still in flight).
     */
    private void awaitHome() {
        assertThat(prober.alive()).as("the lab's client still probes (its run is bounded)").isTrue();
        long t = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60)).until(() -> lab.vipsOn("a", List.of(VIP_A, VIP_B)).equals(List.of(VIP_A))
                && lab.vipsOn("b", List.of(VIP_A, VIP_B)).equals(List.of(VIP_B)));
        await().atMost(Duration.ofSeconds(30)).until(() -> servedBy(VIP_A, "a", t) != null
                && servedBy(VIP_B, "b", t) != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            long now = System.currentTimeMillis();
            return probes.stream().filter(p -> p.endMs() >= now - PROBE_TIMEOUT_MS).allMatch(Probe::ok)
                    && servedBy(VIP_A, "a", now - PROBE_TIMEOUT_MS) != null
                    && probes.stream().filter(p -> p.startMs() >= now - PROBE_TIMEOUT_MS)
                    .allMatch(p -> p.via().equals(owner(p.vip())));
        });
    }

    // Kill -9 of the owner, 20 runs alternating the nodes: the killed node's guardian removes its VIP and tells the
    // survivor (an end notice), which claims the VIP and serves it: p95 within 1.0 s, every run within 2 s (issue 16,
    // item 6); the other VIP never fails; the restarted node does not announce the VIP before the survivor let it go,
    // and takes it back (failback immediate) with zero failed probes.
    @Test
    @Order(1)
    void killNineOfTheOwner() throws Exception {
        List<Long> served = new ArrayList<>();
        List<Long> claimed = new ArrayList<>();
        List<Integer> failedProbes = new ArrayList<>();
        List<Long> failbackMaxProbeMs = new ArrayList<>();
        List<Long> cleanups = new ArrayList<>();
        List<Integer> inFlightLost = new ArrayList<>();
        for (int run = 0; run < KILL_RUNS; run++) {
            awaitHome();
            String victim = run % 2 == 0 ? "a" : "b";
            String survivor = peer(victim);
            String vip = victim.equals("a") ? VIP_A : VIP_B;
            String other = victim.equals("a") ? VIP_B : VIP_A;
            long t0 = System.currentTimeMillis();
            nodes.get(victim).kill9();
            Probe first = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, survivor, t0),
                    p -> p != null);
            AddressLog.Event claim = addresses.first(survivor, vip, true, t0);
            served.add(first.endMs() - t0);
            claimed.add(claim.atMs() - t0);
            failedProbes.add(failed(vip, t0, first.endMs()).size());
            assertThat(failed(other, t0, first.endMs())).as("probes of the VIP nobody touched").isEmpty();
            // The killed node's guardian took the address off its interface (the kernel no longer answers ARP
            // for it there) before the survivor claimed it.
            AddressLog.Event gone = addresses.first(victim, vip, false, t0);
            assertThat(gone).as("the killed node's VIP removed by its guardian").isNotNull();
            assertThat(gone.atMs()).isLessThan(claim.atMs());
            cleanups.add(gone.atMs() - t0);

            awaitQuiet(); // the probes lost to the kill are over before the restart is judged
            long restart = System.currentTimeMillis();
            startNode(victim);
            AddressLog.Event back = await().atMost(Duration.ofSeconds(60)).until(
                    () -> addresses.first(victim, vip, true, restart), e -> e != null);
            Probe home = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, victim, back.atMs()),
                    p -> p != null);
            long settle = home.endMs() + PROBE_TIMEOUT_MS;
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > settle + 100);
            inFlightLost.add(failed(vip, restart, settle).size());
            assertThat(failed(vip, restart, settle)).as("probes that failed while %s came back and took %s back "
                    + "(the holder drains the VIP first: nothing in flight is lost)", victim, vip).isEmpty();
            assertThat(failed(other, restart, settle)).isEmpty();
            failbackMaxProbeMs.add(probes.stream().filter(p -> p.vip().equals(vip) && p.startMs() >= restart
                    && p.startMs() <= home.startMs()).mapToLong(Probe::ms).max().orElse(0));
        }
        System.out.println("LAB kill -9 of the owner, " + KILL_RUNS + " runs: served after (ms) min/median/p95/max "
                + distribution(served) + "; VIP claimed by the survivor after (ms) " + claimed
                + "; first request served through it after (ms) " + served + "; the killed node's guardian removed its VIP after (ms) " + cleanups + "; failed probes (of 20/s) "
                + failedProbes + "; failback: failed probes " + inFlightLost
                + ", slowest probe during it (ms) " + failbackMaxProbeMs);
        assertThat(served).allMatch(ms -> ms < 2000);
        assertThat(percentile(served, 95)).as("p95 of the takeovers after a kill -9 (ms)").isLessThanOrEqualTo(1000);
        assertNeverTwoAnswering(HANDOVER_MAX_MS);
    }

    /** The nearest-rank percentile of {@code values}. */
    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String distribution(List<Long> values) {
        return percentile(values, 0) + "/" + percentile(values, 50) + "/" + percentile(values, 95) + "/"
                + percentile(values, 100);
    }

    // Losing the Raft leader, 6 runs. The witness leads (it asks for leadership once it has returned and caught up, so
    // a proxy's loss costs no election); here it is killed (runs 0 and 3: its Raft port refuses connections), its whole
    // process tree frozen for 2 s (runs 1 and 4: its kernel still accepts connections, but nothing answers a TLS
    // handshake) or its cable cut for 2 s (runs 2 and 5: nothing answers at all). Each time the proxies elect one of
    // them (staggered election timeouts: no split vote), and neither may drop its own VIP meanwhile (issue 16, item 2).
    // Before: the other proxy fenced itself, DUET-CLUSTER-0044, in 1 of 9 leader losses (session 8); with Ratis's own
    // timeouts (a frozen leader noticed 0.34-0.8 s after its last message), in 2 of 3 frozen-witness runs; with the
    // leader watch but Ratis's default client (its heartbeats to the new leader went on to the frozen one), in 1 of 3
    // (HeartbeatRetryPolicy). The witness's returns count too: after each loss it asks for the leadership back, and that
    // transfer must not cost a proxy its VIP either (a lab run, 2026-12-08: a proxy fenced 0.9 s after a transfer to
    // the witness, its heartbeat client spent on a first connection to the new leader and rebuilt in 0.8 s; and the
    // CI run before it failed in run 1, probably on that transfer).
    @Test
    @Order(2)
    void leaderLossDoesNotFenceTheOthers() throws Exception {
        List<String> elected = new ArrayList<>();
        List<Long> ledAgain = new ArrayList<>();
        awaitHome();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "w".equals(leaderOf(cli("a", "cluster", "status"))));
        long start = System.currentTimeMillis();
        for (int run = 0; run < 6; run++) {
            awaitHome();
            long back = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "w".equals(leaderOf(cli("a", "cluster", "status"))));
            if (run > 0) {
                ledAgain.add(System.currentTimeMillis() - back);
            }
            String kind = List.of("killed", "frozen", "cut off").get(run % 3);
            long t0 = System.currentTimeMillis();
            switch (kind) {
                case "frozen" -> witness.pauseTree(true);
                case "cut off" -> lab.cable("w", false);
                default -> witness.kill9();
            }
            try {
                // An observation window: the proxies' leases, had they fenced, ran out within it. Nothing else runs
                // meanwhile (a CLI's JVM polling the leader every 200 ms took a core of the CI machine's two, and
                // the members' vote messages waited 0.3 s for the CPU).
                pace(2000);
                String next = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> leaderOf(cli("a", "cluster", "status")), l -> l != null && !l.equals("w"));
                elected.add(next);
                for (String node : List.of("a", "b")) {
                    String own = node.equals("a") ? VIP_A : VIP_B;
                    assertThat(addresses.first(node, own, false, t0)).as("run %d: %s removed from %s after the "
                            + "witness (leader) was %s (new leader %s)", run, own, node, kind, next).isNull();
                }
            } finally { // the next tests need the witness, whatever happened here
                switch (kind) {
                    case "frozen" -> witness.pauseTree(false);
                    case "cut off" -> lab.cable("w", true);
                    default -> witness = LabProcess.start("w", lab.in("w"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                            "io.duet.appliance.Main", List.of("witness"), env("w"), logs.resolve("w-" + t0 + ".log"),
                            null);
                }
            }
        }
        awaitHome();
        // The next tests start from the usual state: the witness back, caught up and leading (cutting a leading
        // proxy's cable while the witness was still starting left no quorum: the CI run of 2026-12-07).
        long back = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "w".equals(leaderOf(cli("a", "cluster", "status"))));
        ledAgain.add(System.currentTimeMillis() - back);
        pace(2000); // the last transfer's window, as the runs'
        for (String node : List.of("a", "b")) {
            String own = node.equals("a") ? VIP_A : VIP_B;
            assertThat(addresses.first(node, own, false, start)).as("%s removed from %s during the 6 runs or the "
                    + "witness's returns to the leadership", own, node).isNull();
        }
        System.out.println("LAB leader loss (the witness, leading), 6 runs (killed, frozen, cut off, ...): new leaders "
                + elected + " (the members' DUET-CLUSTER-0063 lines say when each stood); the witness led again, seen (ms) "
                + ledAgain
                + " after both VIPs were home (CLI polls every 0.5 s); the proxies kept their VIPs");
        assertNeverTwoAnswering(HANDOVER_MAX_MS);
    }

    /** The member marked LEADER in {@code duet cluster status} output, or null. */
    private static String leaderOf(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\S+)\\s+LEADER\\s",
                java.util.regex.Pattern.MULTILINE).matcher(status);
        return m.find() ? m.group(1) : null;
    }

    // A partition, 20 runs alternating the nodes: the holder's cable is cut. Its lease runs out and it drops its VIP
    // before the peer (waiting lease + margin) claims it; the peer serves it: p95 within 1.5 s, every run within 2 s
    // (issue 16, item 6). Healed, the node takes its VIP back.
    @Test
    @Order(3)
    void partitionedNodeFencesBeforeThePeerClaims() throws Exception {
        List<Long> dropped = new ArrayList<>();
        List<Long> claimed = new ArrayList<>();
        List<Long> served = new ArrayList<>();
        List<Integer> failedProbes = new ArrayList<>();
        for (int run = 0; run < FAULT_RUNS; run++) {
            awaitHome();
            awaitRaftCaughtUp();
            String victim = run % 2 == 0 ? "a" : "b";
            String survivor = peer(victim);
            String vip = victim.equals("a") ? VIP_A : VIP_B;
            String other = victim.equals("a") ? VIP_B : VIP_A;
            long t0 = System.currentTimeMillis();
            lab.cable(victim, false);
            try {
                AddressLog.Event drop = await().atMost(Duration.ofSeconds(10)).until(
                        () -> addresses.first(victim, vip, false, t0), e -> e != null);
                AddressLog.Event claim = await().atMost(Duration.ofSeconds(10)).until(
                        () -> addresses.first(survivor, vip, true, t0), e -> e != null);
                Probe first = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, survivor, t0),
                        p -> p != null);
                dropped.add(drop.atMs() - t0);
                claimed.add(claim.atMs() - t0);
                served.add(first.endMs() - t0);
                failedProbes.add(failed(vip, t0, first.endMs()).size());
                assertThat(drop.atMs()).as("run %d: the cut-off node dropped its VIP before the peer claimed it",
                        run).isLessThan(claim.atMs());
                assertThat(failed(other, t0, first.endMs())).as("probes of the VIP nobody touched").isEmpty();
            } finally {
                lab.cable(victim, true);
            }
        }
        awaitHome();
        System.out.println("LAB partition (holder's cable cut), " + FAULT_RUNS + " runs: served through the peer "
                + "after (ms) min/median/p95/max " + distribution(served) + "; the cut-off node dropped its VIP after "
                + "(ms) " + dropped + "; the peer claimed it after (ms) " + claimed + "; served after (ms) " + served
                + "; failed probes (of 20/s) " + failedProbes);
        assertThat(served).allMatch(ms -> ms < 2000);
        assertThat(percentile(served, 95)).as("p95 of the takeovers after a cut link (ms)").isLessThanOrEqualTo(1500);
        assertNeverTwoAnswering(HANDOVER_MAX_MS);
    }

    // Freezes of the holder, 20 runs alternating the nodes and the kind: its whole process tree (the JVM and its VIP
    // guardian stopped together, as a cgroup freeze of the service or docker pause does) or the JVM alone (SIGSTOP, a
    // long pause). Nothing on a frozen tree can act: the kernel closes the VIP's gate at the deadline of its last hold,
    // before the peer claims it after lease + margin (the address itself follows when its lifetime runs out); a
    // frozen JVM's guardian removes the VIP after 0.5 s without a sign of life. The peer serves it: p95 within 1.5 s,
    // every run within 2 s (issue 16, item 6); never two nodes answering for it. Thawed, the node finds its lease
    // expired, holds nothing until the cluster says so, and takes its VIP back. Before VIPs had a lifetime, the
    // frozen tree kept the address while the peer held it (8.6 s); before the gates, the takeover took 1.3-1.8 s.
    @Test
    @Order(4)
    void frozenNodeLosesItsVipToTheKernel() throws Exception {
        Map<String, List<Long>> served = new java.util.TreeMap<>();
        Map<String, List<Long>> claimed = new java.util.TreeMap<>();
        List<Long> gateClosed = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int run = 0; run < FAULT_RUNS; run++) {
            awaitHome();
            awaitRaftCaughtUp();
            String victim = run % 2 == 0 ? "a" : "b";
            boolean tree = run % 4 < 2;
            String kind = tree ? "process tree frozen" : "JVM stopped";
            String survivor = peer(victim);
            String vip = victim.equals("a") ? VIP_A : VIP_B;
            String other = victim.equals("a") ? VIP_B : VIP_A;
            long t0 = System.currentTimeMillis();
            if (tree) {
                nodes.get(victim).pauseTree(true);
            } else {
                nodes.get(victim).pause(true);
            }
            try {
                AddressLog.Event claim = await().atMost(Duration.ofSeconds(10)).until(
                        () -> addresses.first(survivor, vip, true, t0), e -> e != null);
                Probe first = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, survivor, t0),
                        p -> p != null);
                claimed.computeIfAbsent(kind, k -> new ArrayList<>()).add(claim.atMs() - t0);
                served.computeIfAbsent(kind, k -> new ArrayList<>()).add(first.endMs() - t0);
                all.add(first.endMs() - t0);
                if (tree) {
                    long closed = addresses.gateEnd(victim, vip, claim.atMs());
                    gateClosed.add(closed - t0);
                    assertThat(closed).as("run %d: the frozen node's gate for %s closed before the peer claimed it",
                            run, vip).isLessThan(claim.atMs());
                } else {
                    AddressLog.Event gone = await().atMost(Duration.ofSeconds(10)).until(
                            () -> addresses.first(victim, vip, false, t0), e -> e != null);
                    removed.add(gone.atMs() - t0);
                    assertThat(gone.atMs()).as("run %d: the stopped JVM's guardian removed %s before the peer "
                            + "claimed it", run, vip).isLessThan(claim.atMs());
                }
                assertThat(failed(other, t0, first.endMs())).as("probes of the VIP nobody touched").isEmpty();
                pace(1500); // the freeze goes on past the takeover
            } finally {
                if (tree) {
                    nodes.get(victim).pauseTree(false);
                } else {
                    nodes.get(victim).pause(false);
                }
            }
        }
        awaitHome();
        List<AddressLog.Overlap> configured = addresses.overlaps();
        System.out.println("LAB freezes of the holder, " + FAULT_RUNS + " runs: served through the peer after (ms) "
                + "min/median/p95/max " + distribution(all) + "; by kind: served " + served + ", claimed " + claimed
                + "; frozen tree: its gate closed after (ms) " + gateClosed + "; stopped JVM: its guardian removed the "
                + "VIP after (ms) " + removed + "; address on both nodes (the frozen one's gate closed) (ms) "
                + configured.stream().map(AddressLog.Overlap::ms).toList());
        assertThat(all).allMatch(ms -> ms < 2000);
        assertThat(percentile(all, 95)).as("p95 of the takeovers after a freeze (ms)").isLessThanOrEqualTo(1500);
        assertThat(addresses.answeringOverlaps()).as("two nodes answering for a VIP at once").isEmpty();
    }

    // Planned failover: duet cluster handoff moves a's VIP to b, and --undo brings it back: zero failed probes, both for
    // the lab's client (2 s) and for a client that gives up after 1 s and opens a connection every 20 ms (issue 16,
    // item 7). a hands the VIP over: it goes quiet (no ARP), b claims and announces it at once and relays to a the
    // connections that began there, so no SYN is dropped and no connection reset. Before: 2-5 failed 1 s probes per
    // handoff, 2-9 per failback (new connections held back while the old holder drained, then the move's gap).
    @Test
    @Order(5)
    void handoffWithZeroFailedProbes() throws Exception {
        awaitHome();
        List<Probe> quick = new CopyOnWriteArrayList<>();
        LabProcess impatient = LabProcess.start("c-1s", lab.in("c"), List.of("-Xmx48m", "-XX:+UseSerialGC"),
                LabProber.class.getName(), List.of("8080", "20", "1000", "120", VIP_A), Map.of(),
                logs.resolve("c-1s.log"), line -> {
                    Probe p = probe(line);
                    if (p != null) {
                        quick.add(p);
                    }
                });
        try {
            long started = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(30)).until(() -> quick.stream().anyMatch(p -> p.ok()
                    && p.startMs() >= started));
            long t0 = System.currentTimeMillis();
            assertThat(cli("b", "cluster", "handoff", "--node", "a")).doesNotContain("ERROR");
            Probe viaB = await().atMost(Duration.ofSeconds(15)).until(() -> servedBy(VIP_A, "b", t0), p -> p != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> lab.vipsOn("a", List.of(VIP_A, VIP_B)).isEmpty());
            long settle = System.currentTimeMillis() + PROBE_TIMEOUT_MS;
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > settle + 100);
            List<Probe> failedOut = failed(VIP_A, t0, settle);
            List<Probe> quickOut = quick.stream().filter(p -> !p.ok() && p.endMs() >= t0 && p.startMs() <= settle)
                    .toList();
            long slowOut = quick.stream().filter(p -> p.startMs() >= t0 && p.startMs() <= settle)
                    .mapToLong(Probe::ms).max().orElse(0);

            long t1 = System.currentTimeMillis();
            assertThat(cli("b", "cluster", "handoff", "--node", "a", "--undo")).doesNotContain("ERROR");
            Probe viaA = await().atMost(Duration.ofSeconds(15)).until(() -> servedBy(VIP_A, "a", t1), p -> p != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> lab.vipsOn("b", List.of(VIP_A)).isEmpty());
            long settle2 = System.currentTimeMillis() + PROBE_TIMEOUT_MS;
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > settle2 + 100);
            List<Probe> failedBack = failed(VIP_A, t1, settle2);
            List<Probe> quickBack = quick.stream().filter(p -> !p.ok() && p.endMs() >= t1 && p.startMs() <= settle2)
                    .toList();
            long slowBack = quick.stream().filter(p -> p.startMs() >= t1 && p.startMs() <= settle2)
                    .mapToLong(Probe::ms).max().orElse(0);
            long quickCount = quick.stream().filter(p -> p.startMs() >= t0 && p.startMs() <= settle2).count();
            System.out.println("LAB handoff of node a: served through b after " + (viaB.endMs() - t0) + " ms, failed "
                    + failedOut.size() + " (2 s client), " + quickOut.size() + " (1 s client), slowest 1 s probe "
                    + slowOut + " ms; undo: served through a after " + (viaA.endMs() - t1) + " ms, failed "
                    + failedBack.size() + " (2 s client), " + quickBack.size() + " (1 s client), slowest 1 s probe "
                    + slowBack + " ms; 1 s probes over both moves " + quickCount + "; VIP configured on both (ms) "
                    + addresses.overlaps().stream().filter(o -> o.toMs() >= t0).map(AddressLog.Overlap::ms).toList());
            assertThat(failedOut).as("probes failed during the handoff").isEmpty();
            assertThat(failedBack).as("probes failed during the undo").isEmpty();
            assertThat(quickOut).as("1 s probes failed during the handoff").isEmpty();
            assertThat(quickBack).as("1 s probes failed during the undo").isEmpty();
            assertThat(failed(VIP_B, t0, settle2)).isEmpty();
            assertNeverTwoAnswering(HANDOVER_MAX_MS);
        } finally {
            impatient.close();
        }
    }

    /** Both VIPs held by exactly one node each, and each answered by a probe that started after {@code fromMs}. */
    private long awaitOwned(long fromMs) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<String> onA = lab.vipsOn("a", List.of(VIP_A, VIP_B));
            List<String> onB = lab.vipsOn("b", List.of(VIP_A, VIP_B));
            return onA.size() + onB.size() == 2 && !onA.stream().anyMatch(onB::contains)
                    && probes.stream().anyMatch(p -> p.vip().equals(VIP_A) && p.ok() && p.startMs() >= fromMs)
                    && probes.stream().anyMatch(p -> p.vip().equals(VIP_B) && p.ok() && p.startMs() >= fromMs);
        });
        return System.currentTimeMillis() - fromMs;
    }

    // A bounded randomized fault run (3 minutes): kill -9 of a proxy or the witness, SIGSTOP/SIGCONT past the lease
    // (of the JVM alone, or of its whole process tree), cables cut, while a client commits a chain of configuration
    // edits. Invariants checked over the recorded histories: no acknowledged write lost (the cluster never goes back behind one, and both nodes end on the last),
    // never a VIP on two nodes at once (kernel address events), every VIP owned and served again within 2 s of each
    // heal. The seed is printed; a failure names it.
    @Test
    @Order(6)
    void randomizedFaults() throws Exception {
        awaitHome();
        long seed = Long.getLong("duet.lab.seed", System.nanoTime());
        java.util.Random rnd = new java.util.Random(seed);
        List<String> writes = new CopyOnWriteArrayList<>();
        LabProcess writer = LabProcess.start("writer", lab.in("c"), List.of("-Xmx96m", "-XX:+UseSerialGC"),
                LabWriter.class.getName(), List.of(members, "400", data.resolve("a").toString()), Map.of(), logs.resolve("writer.log"),
                writes::add);
        Map<String, Integer> counts = new java.util.TreeMap<>();
        List<Long> recoveries = new ArrayList<>();
        List<Long> takeovers = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        long end = System.currentTimeMillis() + 180_000;
        try {
            while (System.currentTimeMillis() < end) {
                // One fault at a time: the next one only after the last healed completely (both proxies caught up
                // and holding their VIPs again), as a pair is built to survive one failure, not two overlapping.
                awaitHome();
                awaitRaftCaughtUp();
                String proxy = rnd.nextBoolean() ? "a" : "b";
                String vip = rnd.nextBoolean() ? VIP_A : VIP_B; // its holder is the victim: a or b
                String holder = lab.vipsOn("a", List.of(vip)).isEmpty() ? "b" : "a";
                int kind = rnd.nextInt(6);
                long t0 = System.currentTimeMillis();
                long heal;
                switch (kind) {
                    case 0 -> { // kill -9 of the proxy holding the VIP, restarted once the other serves it
                        counts.merge("kill -9 proxy", 1, Integer::sum);
                        nodes.get(holder).kill9();
                        String other = peer(holder);
                        Probe p = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, other, t0),
                                x -> x != null);
                        takeovers.add(p.endMs() - t0);
                        faults.add("kill -9 " + holder + " at " + t0 + ": served by " + other + " after "
                                + (p.endMs() - t0) + " ms");
                        heal = System.currentTimeMillis();
                        startNode(holder);
                    }
                    case 1 -> { // kill -9 of the witness: the proxies keep quorum together
                        counts.merge("kill -9 witness", 1, Integer::sum);
                        faults.add("kill -9 w at " + t0);
                        witness.kill9();
                        pace(1000 + rnd.nextInt(2000));
                        witness = LabProcess.start("w", lab.in("w"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                                "io.duet.appliance.Main", List.of("witness"), env("w"),
                                logs.resolve("w-" + t0 + ".log"), null);
                        LabProcess w = witness;
                        await().atMost(Duration.ofSeconds(60)).until(() -> w.printed("change Leader from null to"));
                        heal = System.currentTimeMillis();
                    }
                    case 2 -> { // SIGSTOP of the holder past its lease, then SIGCONT
                        counts.merge("SIGSTOP proxy", 1, Integer::sum);
                        takeovers.add(faultUntilServed("SIGSTOP", holder, vip, t0, rnd.nextInt(1500),
                                nodes.get(holder)::pause, faults));
                        heal = System.currentTimeMillis();
                    }
                    case 5 -> { // the holder's whole process tree frozen (JVM and guardian) past the lease
                        counts.merge("process tree frozen", 1, Integer::sum);
                        takeovers.add(faultUntilServed("process tree frozen", holder, vip, t0, rnd.nextInt(1500),
                                nodes.get(holder)::pauseTree, faults));
                        heal = System.currentTimeMillis();
                    }
                    case 3 -> { // the holder's cable cut
                        counts.merge("cable cut proxy", 1, Integer::sum);
                        takeovers.add(faultUntilServed("cable cut", holder, vip, t0, rnd.nextInt(2000),
                                cut -> lab.cable(holder, !cut), faults));
                        heal = System.currentTimeMillis();
                    }
                    default -> { // a proxy's or the witness's cable cut briefly (may or may not pass the lease)
                        String victim = rnd.nextBoolean() ? "w" : proxy;
                        counts.merge("short cable cut " + (victim.equals("w") ? "witness" : "proxy"), 1,
                                Integer::sum);
                        faults.add("short cable cut " + victim + " at " + t0);
                        lab.cable(victim, false);
                        try {
                            pace(500 + rnd.nextInt(2500));
                        } finally {
                            lab.cable(victim, true);
                        }
                        heal = System.currentTimeMillis();
                    }
                }
                long recovered = awaitOwned(heal);
                recoveries.add(recovered);
                faults.add("  healed at " + heal + ": every VIP owned and served after " + recovered + " ms");
            }
        } finally {
            writer.closeInput();
        }
        String fin = await().atMost(Duration.ofSeconds(90)).until(() -> writes.stream()
                .filter(l -> l.startsWith("FINAL")).findFirst().orElse(null), l -> l != null);
        List<String> acks = writes.stream().filter(l -> l.startsWith("ACK")).toList();
        String lastMarker = "w" + acks.get(acks.size() - 1).split(" ")[2];
        long failedWrites = writes.stream().filter(l -> l.startsWith("FAIL")).count();
        List<AddressLog.Overlap> overlaps = addresses.answeringOverlaps();
        System.out.println("LAB randomized faults (seed " + seed + ", 180 s): faults " + counts + "; configuration writes "
                + "acknowledged " + acks.size() + ", failed or refused " + failedWrites + ", lost "
                + writes.stream().filter(l -> l.startsWith("LOST")).count() + "; " + fin + "; VIP served by the "
                + "other node after (ms) " + takeovers + "; every VIP owned and served again after each heal within "
                + "(ms) " + recoveries + "; moments with two nodes answering for a VIP " + overlaps.size()
                + " (a frozen node's address still there, gate closed: " + addresses.overlaps().size()
                + "); takeovers over the 2 s "
                + "target " + takeovers.stream().filter(ms -> ms >= 2000).count() + " of " + takeovers.size());
        faults.forEach(f -> System.out.println("LAB fault " + f));
        assertThat(writes).as("seed %s", seed).noneMatch(l -> l.startsWith("LOST"));
        assertThat(fin).as("seed %s", seed).endsWith(" " + lastMarker);
        for (String node : List.of("a", "b")) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(cli(node, "config", "export")).as("node %s serves the last write", node)
                            .contains("\"" + lastMarker + ".lab\""));
        }
        assertThat(overlaps).as("seed %s", seed).isEmpty();
        assertThat(recoveries).as("seed %s", seed).allMatch(ms -> ms < 2000);
    }

    // A voter back after a long absence (issue 16, item 3): the witness and proxy b away for 90 s, so a is alone (no
    // quorum: it drops its VIP and stands for election over and over, its requests refused); then the witness is
    // started again: a and the witness form a quorum within seconds, and a holds both VIPs. In the field, quorum came
    // back 88 s after a witness returned from 12 minutes away.
    @Test
    @Order(7)
    void aVoterBackAfterALongAbsenceFormsAQuorumWithinSeconds() throws Exception {
        awaitHome();
        awaitRaftCaughtUp();
        witness.kill9();
        nodes.get("b").kill9();
        pace(90_000);
        long t0 = System.currentTimeMillis();
        witness = LabProcess.start("w", lab.in("w"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                "io.duet.appliance.Main", List.of("witness"), env("w"), logs.resolve("w-back.log"), null);
        LabProcess w = witness;
        await().atMost(Duration.ofSeconds(60)).until(() -> w.printed("DUET-CLUSTER-0003"));
        long started = System.currentTimeMillis();
        AddressLog.Event held = await().atMost(Duration.ofSeconds(180)).until(
                () -> addresses.first("a", VIP_B, true, t0), e -> e != null);
        System.out.println("LAB voter back after 90 s away: the witness's member started " + (started - t0)
                + " ms after its launch; a (alone meanwhile) held both VIPs again " + (held.atMs() - started)
                + " ms after that");
        startNode("b");
        awaitHome();
        assertThat(held.atMs() - started).as("quorum and VIPs back within seconds of the voter's return")
                .isLessThan(8_000);
    }

    /** A fault switched on (true) or off (false). */
    private interface Fault {
        void set(boolean on) throws IOException;
    }

    /**
     * Puts {@code fault} on the holder of {@code vip}, keeps it until the other proxy serves the VIP and {@code moreMs}
     * longer, then takes it off whatever happened; records the fault's line and returns the takeover (ms after
     * {@code t0}).
     */
    private long faultUntilServed(String name, String holder, String vip, long t0, long moreMs, Fault fault,
                                  List<String> faults) throws IOException {
        fault.set(true);
        try {
            String other = peer(holder);
            Probe p = await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(vip, other, t0), x -> x != null);
            faults.add(name + " " + holder + " at " + t0 + ": served by " + other + " after " + (p.endMs() - t0)
                    + " ms");
            pace(moreMs);
            return p.endMs() - t0;
        } finally {
            fault.set(false);
        }
    }

    /**
     * All three members answer and none is more than a few entries behind (a witness whose link just came back, or
     * that just restarted, is otherwise still catching up, and a proxy fault then would be a second fault).
     */
    private void awaitRaftCaughtUp() {
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^(\\S+)\\s+(LEADER|FOLLOWER)\\s+(\\d+)\\s+(\\d+)"
                + "\\s+(\\d+)\\s*$", java.util.regex.Pattern.MULTILINE);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            java.util.regex.Matcher m = row.matcher(cli("b", "cluster", "status"));
            long maxCommit = 0;
            long minApplied = Long.MAX_VALUE;
            int n = 0;
            while (m.find()) {
                n++;
                maxCommit = Math.max(maxCommit, Long.parseLong(m.group(4)));
                minApplied = Math.min(minApplied, Long.parseLong(m.group(5)));
            }
            return n == 3 && maxCommit - minApplied < 50;
        });
    }

    /** Holds a fault for a while (the fault's duration, not synchronisation), bounded. */
    private static void pace(long ms) {
        long until = System.currentTimeMillis() + ms;
        await().atMost(Duration.ofMillis(ms + 5000)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.currentTimeMillis() >= until);
    }
}
