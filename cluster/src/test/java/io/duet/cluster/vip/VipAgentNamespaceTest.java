package io.duet.cluster.vip;

import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The VIP agent with the real `ip` and `arping` inside a network namespace the test builds (node and client joined
 * by a veth pair, 192.0.2.0/24): start-up cleanup, claim with gratuitous ARP seen by the client, drift repair both
 * ways, self-fencing when its heartbeats stop, release when the table moves the VIP away. Needs root and network
 * namespaces and procps; the IPv4 announcement needs iputils' arping and the drain nft (each case skips, saying why).
 */
class VipAgentNamespaceTest {
    static final String VIP = "192.0.2.50";
    static final String OTHER = "192.0.2.51";
    NetNamespaces net;
    String node;
    String client;
    VipAgent agent;
    ScheduledExecutorService heart;
    final AtomicBoolean beating = new AtomicBoolean(true);

    @BeforeEach
    void lab() throws Exception {
        net = new NetNamespaces();
        Requirements.requireTool(Tool.PROCPS); // sysctl inside the namespaces
        Requirements.requireTool(Tool.NFT); // every VIP's gate
        node = net.add("node");
        client = net.add("client");
        net.link(node, "192.0.2.11/24", client, "192.0.2.100/24");
        // The client learns addresses from gratuitous ARP (arp_accept), so the test can see the announcement.
        NetNamespaces.sh("ip", "netns", "exec", client, "sysctl", "-qw", "net.ipv4.conf.all.arp_accept=1");
        NetNamespaces.sh("ip", "netns", "exec", client, "sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=1");
    }

    @AfterEach
    void cleanUp() {
        if (heart != null) {
            heart.shutdownNow();
        }
        if (agent != null) {
            agent.close();
        }
        if (net != null) {
            net.close();
        }
    }

    private Set<String> onNode() throws Exception {
        String out = NetNamespaces.sh("ip", "-n", node, "-o", "-4", "addr", "show", "dev", "eth0");
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (String a : List.of(VIP, OTHER)) {
            if (out.contains(" " + a + "/32")) {
                s.add(a);
            }
        }
        return s;
    }

    private String nodeMac() throws Exception {
        String out = NetNamespaces.sh("ip", "-n", node, "-o", "link", "show", "eth0");
        int i = out.indexOf("link/ether ") + "link/ether ".length();
        return out.substring(i, i + 17);
    }

    // The whole life of a VIP on one node, with real commands.
    @Test
    void claimAnnounceRepairFenceRelease() throws Exception {
        Requirements.requireTool(Tool.ARPING); // the announcement the client must see, and the test's own ARP probe
        // A VIP left over from a previous run (crash while holding it) is removed at start.
        NetNamespaces.sh("ip", "-n", node, "addr", "add", VIP + "/32", "dev", "eth0");
        agent = new VipAgent("a", new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node)), 1000,
                500, System::nanoTime);
        agent.start(Set.of(VIP, OTHER));
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty());

        // Not holding anything before its own heartbeat is committed, even when the table names it.
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 3);
        assertThat(agent.fenced()).isTrue();
        heart = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicLong lastBeat = new java.util.concurrent.atomic.AtomicLong();
        heart.scheduleAtFixedRate(() -> {
            if (beating.get()) {
                lastBeat.set(System.nanoTime());
                agent.ownHeartbeatCommitted();
            }
        }, 0, 200, TimeUnit.MILLISECONDS);

        // Claimed and announced: the client's neighbour table has the node's MAC for the VIP.
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));
        String mac = nodeMac();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                NetNamespaces.sh("ip", "-n", client, "neigh", "show", VIP)).contains(mac));
        // The node answers ARP for the VIP (arping exits 0 on a reply).
        assertThat(NetNamespaces.exec("ip", "netns", "exec", client, "arping", "-c", "1", "-w", "3", "-I", "eth0",
                VIP).exit()).isZero();
        assertThat(agent.held()).containsExactly(VIP);

        // Drift: removed by hand -> added back; a configured VIP it does not own added by hand -> removed.
        NetNamespaces.sh("ip", "-n", node, "addr", "del", VIP + "/32", "dev", "eth0");
        NetNamespaces.sh("ip", "-n", node, "addr", "add", OTHER + "/32", "dev", "eth0");
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));

        // Heartbeats stop (no quorum, partition, pause): past the lease the node drops the VIP by itself.
        beating.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBeat.get());
        assertThat(ms).as("dropped (by the agent's fence or the kernel's lifetime, whichever is first) after the "
                + "lease since the last heartbeat, not before").isGreaterThanOrEqualTo(950);
        assertThat(agent.fenced()).isTrue();

        // Heartbeats back: holds it again.
        beating.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));

        // The table moves it to another node: released.
        agent.ownership(new Ownership(Map.of(VIP, "b"), Map.of(), Set.of()), 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty());
        assertThat(agent.held()).isEmpty();
    }

    // The process ends (its end of the guardian's pipe closes, as the kernel closes it at a kill -9; systemd then
    // sends SIGTERM to the rest of the unit): the guardian marks the end in its lock file and removes the VIPs; a hold script the ended process had started (here: one
    // run after the end) changes nothing, so the VIPs stay gone once the guardian has told the peers.
    @Test
    void anEndedProcessesHoldScriptsChangeNothing() throws Exception {
        Requirements.requireTool(Tool.FLOCK);
        IpCommandActuator act = new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node));
        java.nio.file.Path lock = act.guardian().lockFile();
        assertThat(lock).as("a lock file with flock installed").isNotNull();
        long now = System.nanoTime();
        assertThat(act.hold(Set.of(VIP), now + 1_000_000_000L, now + 2_000_000_000L))
                .isEqualTo(VipActuator.Hold.HELD);
        act.guard(Set.of(VIP, OTHER));
        assertThat(onNode()).containsExactly(VIP);

        // systemd sends SIGTERM to what is left of the unit the moment the JVM dies: the guardian carries on.
        long pid = act.guardian().processForTest().pid();
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor()).isZero();
        act.guardian().closeForTest();
        // The VIP's 1 s kernel lifetime may remove it before the guardian acts: wait for the guardian itself.
        await().atMost(Duration.ofSeconds(5)).until(() -> !act.guardian().processForTest().isAlive());
        assertThat(java.nio.file.Files.readString(lock)).startsWith("ended");
        assertThat(onNode()).isEmpty();
        now = System.nanoTime();
        assertThat(act.hold(Set.of(VIP), now + 1_000_000_000L, now + 2_000_000_000L))
                .isEqualTo(VipActuator.Hold.TOO_LATE);
        assertThat(onNode()).isEmpty();
    }

    // Every VIP answers only through its gate: at the hold's deadline the kernel stops answering ARP for it by itself
    // (nothing on the node acts, so no freeze of its processes can make it answer longer), while the address is still
    // configured; a renewal before then moves the deadline. The address's own kernel lifetime removes it a little
    // later. Failed before the gates: the VIP answered until its address's lifetime ran out (1-1.26 s after the last
    // hold, in whole seconds), whatever deadline the hold was given.
    @Test
    void heldVipsAnswerOnlyUntilTheirDeadline() throws Exception {
        Requirements.requireTool(Tool.ARPING);
        IpCommandActuator act = new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node));
        long t0 = System.nanoTime();
        long firstUntil = t0 + TimeUnit.MILLISECONDS.toNanos(800);
        assertThat(act.hold(Set.of(VIP), t0 + TimeUnit.MILLISECONDS.toNanos(500), firstUntil))
                .isEqualTo(VipActuator.Hold.HELD);
        assertThat(answersArp()).isTrue();
        assertThat(NetNamespaces.sh("ip", "-n", node, "-o", "-4", "addr", "show", "dev", "eth0"))
                .contains(VIP + "/32").contains("eth0:duet").contains("valid_lft");

        // Renewed 400 ms in: answers past the first deadline, until the second.
        await().atMost(Duration.ofSeconds(1)).until(() -> System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(400));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        assertThat(act.hold(Set.of(VIP), until - TimeUnit.MILLISECONDS.toNanos(300), until))
                .isEqualTo(VipActuator.Hold.HELD);
        await().atMost(Duration.ofSeconds(1)).until(() -> System.nanoTime() - firstUntil >= 50_000_000L);
        assertThat(answersArp()).as("answers past the first deadline after the renewal").isTrue();

        // Probed every few ms: the first probe that gets no answer, and whether the address was configured then.
        long[] closed = new long[2];
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5)).until(() -> {
            boolean configured = onNode().contains(VIP);
            long at = System.nanoTime();
            if (answersArp()) {
                return false;
            }
            closed[0] = at;
            closed[1] = configured ? 1 : 0;
            return true;
        });
        long early = TimeUnit.NANOSECONDS.toMillis(until - closed[0]);
        System.out.println("VIP stopped answering " + early + " ms before its deadline, address still configured: "
                + (closed[1] == 1));
        assertThat(early).as("stops answering by its deadline (the probe's own run: 15 ms), no earlier than its run's "
                + "slack and guard before it").isBetween(-15L, IpCommandActuator.HOLD_SLACK_MS
                + IpCommandActuator.GATE_GUARD_MS + 60);
        assertThat(closed[1]).as("the gate, not the address's removal, stopped it").isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> onNode().isEmpty()); // the kernel lifetime: the backstop
    }

    // A hold that would start too late does nothing; one whose change took longer than its slack (as a freeze between
    // its clock readings would make it) closes the gate and removes the addresses again.
    @Test
    void lateHoldsChangeNothing() throws Exception {
        String vip6 = "2001:db8::50";
        IpCommandActuator act = new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node));
        Set<String> both = Set.of(VIP, vip6);
        long now = System.nanoTime();
        assertThat(act.hold(both, now - 1, now + 1_000_000_000L)).isEqualTo(VipActuator.Hold.TOO_LATE);
        assertThat(present(act, both)).isEmpty();
        assertThat(act.hold(both, now + 500_000_000L, now + 150_000_000L)).as("a gate shorter than the run's room")
                .isEqualTo(VipActuator.Hold.TOO_LATE);
        assertThat(present(act, both)).isEmpty();
        now = System.nanoTime();
        assertThat(act.hold(both, now + 500_000_000L, now + 1_000_000_000L)).isEqualTo(VipActuator.Hold.HELD);
        assertThat(present(act, both)).isEqualTo(both);
        assertThat(NetNamespaces.sh("ip", "netns", "exec", node, "nft", "list", "set", "inet",
                IpCommandActuator.GATE_TABLE, "live6")).contains(vip6);
        act.slackForTest(-10); // every change now counts as held up
        now = System.nanoTime();
        assertThat(act.hold(both, now + 500_000_000L, now + 1_000_000_000L)).isEqualTo(VipActuator.Hold.UNDONE);
        assertThat(present(act, both)).isEmpty();
        assertThat(NetNamespaces.sh("ip", "netns", "exec", node, "nft", "list", "set", "arp",
                IpCommandActuator.GATE_TABLE, "live4")).doesNotContain(VIP);
    }

    private boolean answersArp() throws Exception {
        return NetNamespaces.exec("ip", "netns", "exec", client, "arping", "-c", "1", "-w", "1", "-I", "eth0", VIP)
                .exit() == 0;
    }

    private static Set<String> present(VipActuator act, Set<String> vips) throws VipActuator.VipException {
        return new java.util.TreeSet<>(act.present(vips));
    }

    // An IPv6 VIP: claimed without duplicate address detection, announced by an unsolicited neighbour advertisement
    // (the client's stale entry for the VIP is overwritten with the node's MAC), repaired when removed by hand,
    // released when the table moves it away.
    @Test
    void ipv6Vip() throws Exception {
        String vip6 = "2001:db8::50";
        NetNamespaces.sh("ip", "-n", node, "addr", "add", "2001:db8::11/64", "dev", "eth0", "nodad");
        NetNamespaces.sh("ip", "-n", client, "addr", "add", "2001:db8::100/64", "dev", "eth0", "nodad");
        NetNamespaces.sh("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv6.conf.eth0.ndisc_notify=1");
        // The client believes the VIP is elsewhere: only an advertisement from the node can correct that.
        NetNamespaces.sh("ip", "-n", client, "neigh", "replace", vip6, "lladdr", "02:00:00:00:00:99", "dev", "eth0",
                "nud", "stale");
        agent = new VipAgent("a", new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node)), 1000,
                500, System::nanoTime);
        agent.start(Set.of(vip6));
        agent.ownership(new Ownership(Map.of(vip6, "a"), Map.of(), Set.of()), 3);
        heart = Executors.newSingleThreadScheduledExecutor();
        heart.scheduleAtFixedRate(agent::ownHeartbeatCommitted, 0, 200, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> NetNamespaces.sh("ip", "-n", node, "-o", "-6", "addr",
                "show", "dev", "eth0").contains(" " + vip6 + "/128 "));
        String mac = nodeMac();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                NetNamespaces.sh("ip", "-n", client, "neigh", "show", vip6)).contains(mac));
        assertThat(agent.held()).containsExactly(vip6);

        NetNamespaces.sh("ip", "-n", node, "addr", "del", vip6 + "/128", "dev", "eth0");
        await().atMost(Duration.ofSeconds(5)).until(() -> NetNamespaces.sh("ip", "-n", node, "-o", "-6", "addr",
                "show", "dev", "eth0").contains(" " + vip6 + "/128 "));

        agent.ownership(new Ownership(Map.of(vip6, "b"), Map.of(), Set.of()), 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> !NetNamespaces.sh("ip", "-n", node, "-o", "-6", "addr",
                "show", "dev", "eth0").contains(vip6 + "/128"));
        assertThat(agent.held()).isEmpty();
    }

    /** A drainer the test completes by hand, recording what the agent asked. */
    static final class HandDrainer implements VipAgent.Drainer {
        final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile java.util.concurrent.CompletableFuture<String> pending;

        @Override
        public java.util.concurrent.CompletionStage<String> drain(String address, long maxMs) {
            calls.add("drain " + address + " " + maxMs);
            pending = new java.util.concurrent.CompletableFuture<>();
            return pending;
        }

        @Override
        public void undrain(String address) {
            calls.add("undrain " + address);
        }
    }

    private boolean heldBack(String vip) throws Exception {
        NetNamespaces.Result r = NetNamespaces.exec("ip", "netns", "exec", node, "nft", "list", "set", "inet",
                IpCommandActuator.NFT_TABLE, "hold4");
        return r.exit() == 0 && r.output().contains(vip);
    }

    /** The real actuator, as a node that cannot hand VIPs over sees it (no hardware address): planned moves drain. */
    static final class CannotHandOver implements VipActuator {
        final IpCommandActuator real;

        CannotHandOver(IpCommandActuator real) {
            this.real = real;
        }

        @Override
        public void claim(String address) throws VipException {
            real.claim(address);
        }

        @Override
        public Hold hold(Set<String> addresses, long notAfterNanos, long answerUntilNanos) throws VipException {
            return real.hold(addresses, notAfterNanos, answerUntilNanos);
        }

        @Override
        public String cannotHold() {
            return real.cannotHold();
        }

        @Override
        public void announce(String address) throws VipException {
            real.announce(address);
        }

        @Override
        public void release(String address) throws VipException {
            real.release(address);
        }

        @Override
        public void guard(Set<String> addresses) {
            real.guard(addresses);
        }

        @Override
        public void alive() {
            real.alive();
        }

        @Override
        public boolean holdBackNew(String address) {
            return real.holdBackNew(address);
        }

        @Override
        public void admitNew(String address) {
            real.admitNew(address);
        }

        @Override
        public void admitAll() {
            real.admitAll();
        }

        @Override
        public void removeGates() {
            real.removeGates();
        }

        @Override
        public Set<String> present(Set<String> candidates) throws VipException {
            return real.present(candidates);
        }
    }

    // A planned move away on a node that cannot hand VIPs over (IPv6, no hardware address) drains first: the VIP stays
    // on the interface and held while new connections to it are held back (real nftables) and the data plane drains;
    // then it is released and new connections are let in again. Undone during the drain: it simply stays. Fenced
    // during the drain: released at once, without waiting for the drain.
    @Test
    void plannedMoveDrainsBeforeTheRelease() throws Exception {
        HandDrainer drainer = new HandDrainer();
        agent = new VipAgent("a", new CannotHandOver(new IpCommandActuator("eth0", List.of("ip", "netns", "exec",
                node))), 1000, 500, System::nanoTime);
        agent.drainer(drainer);
        agent.start(Set.of(VIP));
        heart = Executors.newSingleThreadScheduledExecutor();
        heart.scheduleAtFixedRate(() -> {
            if (beating.get()) {
                agent.ownHeartbeatCommitted();
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));

        // Handoff: drained first, released after.
        agent.ownership(new Ownership(Map.of(VIP, "b"), Map.of(), Set.of()), 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> drainer.pending != null);
        assertThat(drainer.calls).containsExactly("drain " + VIP + " " + VipAgent.DRAIN_MAX_MS);
        assertThat(heldBack(VIP)).isTrue();
        assertThat(onNode()).containsExactly(VIP);
        assertThat(agent.held()).containsExactly(VIP);
        drainer.pending.complete("1 connection drained in 12 ms, 0 cut");
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty() && !heldBack(VIP));
        assertThat(agent.held()).isEmpty();
        assertThat(drainer.calls).endsWith("undrain " + VIP);

        // Undone while draining: stays, new connections let in again, nothing released.
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));
        drainer.pending = null;
        agent.ownership(new Ownership(Map.of(VIP, "b"), Map.of(), Set.of()), 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> drainer.pending != null && heldBack(VIP));
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 7);
        await().atMost(Duration.ofSeconds(5)).until(() -> !heldBack(VIP));
        drainer.pending.complete("late");
        assertThat(onNode()).containsExactly(VIP);
        assertThat(agent.held()).containsExactly(VIP);

        // Fenced while draining: released at once (the peer claims after lease + margin whatever the drain does).
        drainer.pending = null;
        agent.ownership(new Ownership(Map.of(VIP, "b"), Map.of(), Set.of()), 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> drainer.pending != null);
        beating.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty() && !heldBack(VIP));
        assertThat(drainer.pending).isNotDone();
    }

    private String nftList(String... what) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", node, "nft", "list"));
        cmd.addAll(List.of(what));
        NetNamespaces.Result r = NetNamespaces.exec(cmd.toArray(String[]::new));
        return r.exit() == 0 ? r.output() : "";
    }

    /** The VIP answers ARP here: its element in the ARP gate's live set. */
    private boolean answersArp(String vip) throws Exception {
        return nftList("set", "arp", IpCommandActuator.GATE_TABLE, "live4").contains(vip);
    }

    // A planned move away hands the VIP over (issue 16, item 7): it stays on the interface, quiet (its ARP gate
    // closed, its IP gate open), is reported leaving, and is released 0.5 s after the table names another owner; the
    // data plane ends its connections after their response meanwhile. Undone while quiet: it answers ARP again. As the
    // next holder of a VIP handed over, the node relays to the old one until the table stops naming it.
    @Test
    void plannedMoveHandsTheVipOverQuietlyAndTheNextHolderRelays() throws Exception {
        HandDrainer drainer = new HandDrainer();
        agent = new VipAgent("a", new IpCommandActuator("eth0", List.of("ip", "netns", "exec", node)), 1000,
                500, System::nanoTime);
        agent.drainer(drainer);
        agent.start(Set.of(VIP));
        heart = Executors.newSingleThreadScheduledExecutor();
        heart.scheduleAtFixedRate(() -> agent.ownHeartbeatCommitted(), 0, 200, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.hardwareAddress().equals(nodeMac()));
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)) && answersArp(VIP));

        // Taken away (no owner yet: a lets go first): quiet, still configured and held, reported leaving.
        agent.ownership(new Ownership(Map.of(), Map.of(), Set.of()), 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.leaving().contains(VIP));
        assertThat(answersArp(VIP)).isFalse();
        assertThat(onNode()).containsExactly(VIP);
        assertThat(agent.held()).containsExactly(VIP);
        assertThat(drainer.calls).containsExactly("drain " + VIP + " " + VipAgent.LEAVE_MAX_MS);
        assertThat(heldBack(VIP)).as("new connections are not held back").isFalse();
        // Undone: answers ARP again.
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.leaving().isEmpty() && answersArp(VIP));
        assertThat(drainer.calls).endsWith("undrain " + VIP);
        // Taken again, and b has it: released LEAVE_SETTLE_MS after the table named b, not before.
        agent.ownership(new Ownership(Map.of(), Map.of(), Set.of()), 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.leaving().contains(VIP));
        long named = System.nanoTime();
        agent.ownership(new Ownership(Map.of(VIP, "b"), Map.of(), Set.of()), 7);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().isEmpty());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - named)).isGreaterThanOrEqualTo(
                VipAgent.LEAVE_SETTLE_MS);
        assertThat(agent.held()).isEmpty();
        assertThat(agent.leaving()).isEmpty();

        // The next holder of a VIP another node handed over: relays to it from before the claim, until it is gone.
        String old = "0a:00:00:00:00:0b";
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of(), Map.of(), Map.of(), Map.of(),
                Map.of(VIP, old)), 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> onNode().equals(Set.of(VIP)));
        assertThat(nftList("map", "netdev", HandoverRelay.TABLE, "to4")).contains(VIP).contains(old);
        assertThat(nftList("set", "netdev", HandoverRelay.TABLE, "on4")).contains(VIP);
        agent.ownership(new Ownership(Map.of(VIP, "a"), Map.of(), Set.of()), 9);
        await().atMost(Duration.ofSeconds(5)).until(() -> !nftList("set", "netdev", HandoverRelay.TABLE, "on4")
                .contains(VIP));
        assertThat(onNode()).containsExactly(VIP);
    }
}
