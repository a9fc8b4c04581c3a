package io.duet.cluster.vip;

import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A VIP handed over between two nodes on one switch, with the real kernel, nftables and arping (namespaces the test
 * builds: a bridge, nodes a and b, client c, 192.0.2.0/24): the old holder goes quiet (no ARP) but keeps serving, the
 * new one claims and announces with a relay, and a connection that began on the old holder goes on there through the
 * relay while a new connection begins on the new holder. Without the relay the new holder resets the old connection.
 * Needs root, network namespaces, procps, nftables and arping (skipped, saying which, without).
 */
class VipHandoverNamespaceTest {
    static final String VIP = "192.0.2.50";
    static final int PORT = 7000;
    NetNamespaces net;
    final List<Process> processes = new ArrayList<>();
    final java.util.concurrent.ScheduledExecutorService renewals =
            java.util.concurrent.Executors.newScheduledThreadPool(2);

    @AfterEach
    void cleanUp() {
        renewals.shutdownNow();
        processes.forEach(Process::destroyForcibly);
        if (net != null) {
            net.close();
        }
    }

    private Process java(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"), "-Xmx32m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), HandoverEcho.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String l;
                while ((l = r.readLine()) != null) {
                    q.add(l);
                }
            } catch (java.io.IOException e) {
                // ended
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String l = q.poll(10, TimeUnit.SECONDS);
        assertThat(l).as("an answer within 10 s").isNotNull();
        return l;
    }

    /**
     * Holds {@code held} (with {@code quiet} answering no ARP) now and every 200 ms, as the agent's heartbeats do: an
     * address lives 1 s without a renewal. Returns the sets to change.
     */
    private java.util.concurrent.atomic.AtomicReference<Set<String>[]> holding(IpCommandActuator on, Set<String> held,
                                                                              Set<String> quiet) throws Exception {
        @SuppressWarnings("unchecked")
        java.util.concurrent.atomic.AtomicReference<Set<String>[]> sets =
                new java.util.concurrent.atomic.AtomicReference<>(new Set[] {held, quiet});
        assertThat(renew(on, sets.get())).isEqualTo(VipActuator.Hold.HELD);
        renewals.scheduleAtFixedRate(() -> {
            try {
                renew(on, sets.get());
            } catch (VipActuator.VipException e) {
                throw new IllegalStateException(e);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        return sets;
    }

    private static VipActuator.Hold renew(IpCommandActuator on, Set<String>[] sets) throws VipActuator.VipException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        return on.hold(sets[0], sets[1], until, until);
    }

    private static String mac(String ns) throws Exception {
        return NetNamespaces.sh("ip", "netns", "exec", ns, "cat", "/sys/class/net/eth0/address").trim();
    }

    @Test
    void aConnectionThatBeganOnTheOldHolderEndsThereWhileNewOnesBeginOnTheNewOne() throws Exception {
        net = new NetNamespaces();
        Requirements.requireTool(Tool.PROCPS);
        Requirements.requireTool(Tool.NFT);
        Requirements.requireTool(Tool.ARPING);
        String sw = net.addSwitch("sw");
        String a = net.add("a");
        String b = net.add("b");
        String c = net.add("c");
        net.attach(sw, a, "192.0.2.11/24");
        net.attach(sw, b, "192.0.2.12/24");
        net.attach(sw, c, "192.0.2.100/24");
        for (String k : List.of("all", "eth0")) {
            NetNamespaces.sh("ip", "netns", "exec", c, "sysctl", "-qw", "net.ipv4.conf." + k + ".arp_accept=1");
        }
        BlockingQueue<String> serverA = lines(java(a, "server", "a", Integer.toString(PORT)));
        BlockingQueue<String> serverB = lines(java(b, "server", "b", Integer.toString(PORT)));
        assertThat(next(serverA)).isEqualTo("LISTENING");
        assertThat(next(serverB)).isEqualTo("LISTENING");

        IpCommandActuator onA = new IpCommandActuator("eth0", List.of("ip", "netns", "exec", a));
        IpCommandActuator onB = new IpCommandActuator("eth0", List.of("ip", "netns", "exec", b));
        var heldByA = holding(onA, Set.of(VIP), Set.of());
        onA.announce(VIP);
        String macA = mac(a);
        String macB = mac(b);
        assertThat(onA.handoverAddress()).isEqualTo(macA);

        Process client = java(c, "client", VIP, Integer.toString(PORT));
        BlockingQueue<String> answers = lines(client);
        PrintWriter say = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII);
        say.println("open");
        assertThat(next(answers)).isEqualTo("OPENED 0");
        say.println("open");
        assertThat(next(answers)).isEqualTo("OPENED 1");
        say.println("send 0 one");
        assertThat(next(answers)).isEqualTo("REPLY 0 a one");

        // The handover: a goes quiet (keeps the address, answers no ARP); b relays what began on a, claims, announces.
        heldByA.set(new Set[] {Set.of(VIP), Set.of(VIP)});
        assertThat(renew(onA, heldByA.get())).isEqualTo(VipActuator.Hold.HELD);
        assertThat(onB.relay(VIP, macA)).isTrue();
        holding(onB, Set.of(VIP), Set.of());
        onB.announce(VIP);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                NetNamespaces.sh("ip", "-n", c, "neigh", "show", VIP)).contains(macB));

        // The connection that began on a goes on there; a new one begins on b.
        say.println("send 0 two");
        assertThat(next(answers)).isEqualTo("REPLY 0 a two");
        say.println("open");
        assertThat(next(answers)).isEqualTo("OPENED 2");
        say.println("send 2 three");
        assertThat(next(answers)).isEqualTo("REPLY 2 b three");
        say.println("send 0 four");
        assertThat(next(answers)).isEqualTo("REPLY 0 a four");
        // Only b answers ARP for the VIP now.
        String arp = NetNamespaces.exec("ip", "netns", "exec", c, "arping", "-c", "2", "-w", "3", "-I", "eth0", VIP)
                .output().toLowerCase(java.util.Locale.ROOT);
        assertThat(arp).contains(macB).doesNotContain(macA);

        // Without the relay, b's kernel answers the other connection that began on a with a reset.
        onB.unrelay(VIP);
        say.println("send 1 five");
        assertThat(next(answers)).startsWith("FAIL 1");
        say.println("send 2 six");
        assertThat(next(answers)).isEqualTo("REPLY 2 b six");
        // The connections seen beginning on b are forgotten once no VIP is relayed: an entry left over would keep on
        // b a later connection that began on another old holder with the same client port, and b would reset it.
        assertThat(NetNamespaces.sh("ip", "netns", "exec", b, "nft", "list", "set", "netdev", HandoverRelay.TABLE,
                "seen4")).doesNotContain(VIP);
        onB.unrelayAll();
    }
}
