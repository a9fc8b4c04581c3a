package io.duet.cluster.vip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.duet.cluster.message.ClusterMessage.CANNOT_HOLD_VIPS;
import static io.duet.cluster.message.ClusterMessage.IPV6_NOT_ANNOUNCED;
import static io.duet.cluster.message.ClusterMessage.NO_DRAIN_GATE;
import static io.duet.cluster.message.ClusterMessage.VIP_COMMAND_FAILED;

/**
 * VIPs with iproute2 and iputils, as ha.md describes (the service needs CAP_NET_ADMIN and CAP_NET_RAW only):
 * <pre>
 * claim:    ip -4 addr replace VIP/32 dev IFACE label IFACE:duet      (IPv6: ip -6 addr replace VIP/128 ... nodad)
 * announce: arping -U -c 3 -I IFACE VIP                                (IPv6: ndsend VIP IFACE, from ndisc6)
 * release:  ip -4 addr del VIP/32 dev IFACE
 * present:  ip -o addr show dev IFACE
 * </pre>
 * An optional command prefix runs everything elsewhere (tests: {@code ip netns exec NS}). Every command has a
 * timeout of 5 s. Thread-safe (stateless apart from a once-only warning).
 */
public final class IpCommandActuator implements VipActuator {
    private static final Logger LOG = LoggerFactory.getLogger(IpCommandActuator.class);
    private static final long TIMEOUT_MS = 5_000;

    private final String iface;
    private final List<String> prefix;
    private volatile boolean ndsendMissingReported;
    private final VipGuardian guardian;

    /**
     * @param iface  the interface the VIPs live on (the one facing the clients)
     * @param prefix prepended to every command (empty in production)
     */
    public IpCommandActuator(String iface, List<String> prefix) {
        this.iface = iface;
        this.prefix = List.copyOf(prefix);
        this.guardian = new VipGuardian(iface, prefix, VipGuardian.createLock());
    }

    /**
     * From now on, when this process ends (kill -9 included), its guardian tells the other proxies once it has removed
     * the VIPs, so that they take them over at once (see {@link VipGuardian}).
     *
     * @param node      this node's id
     * @param secretHex this process's end secret ({@link Heartbeat#lifetimeOf} gives its heartbeats' lifetime number)
     * @param targets   the other proxies' end-notice URLs (HTTPS)
     * @param caFile    the cluster CA certificate, which their endpoints' certificates are checked against
     */
    public void announceEnd(String node, String secretHex, List<String> targets, java.nio.file.Path caFile) {
        guardian.notice(new VipGuardian.EndNotice(node, secretHex, targets, caFile));
    }

    /** The IPv4 label that marks Duet's addresses (at most 15 characters, as the kernel requires). */
    String label() {
        String l = iface + ":duet";
        return l.length() <= 15 ? l : iface.substring(0, Math.min(iface.length(), 13)) + ":d";
    }

    @Override
    public void claim(String address) throws VipException {
        if (isV6(address)) {
            run(List.of("ip", "-6", "addr", "replace", address + "/128", "dev", iface, "nodad"), false);
        } else {
            run(List.of("ip", "-4", "addr", "replace", address + "/32", "dev", iface, "label", label()), false);
        }
    }

    /**
     * The kernel lifetime of a held VIP's address (seconds, the kernel's unit), renewed by every {@link #hold}. The
     * kernel removes the address 1.0-1.26 s after the last hold (it rounds its next lifetime check up to a whole second
     * when that costs less than a quarter of one, {@code ADDRCONF_TIMER_FUZZ}): it outlives the gate (below) and is
     * only a backstop.
     */
    static final int LIFETIME_S = 1;
    /** The nftables tables (inet and arp) of the VIPs' gates: Duet's own (see {@link #hold}). */
    static final String GATE_TABLE = "duet_gate";
    /**
     * A hold whose change took longer than this (from the clock reading before it to the one after) was held up by
     * a freeze or a stall, and is undone: its gate could otherwise outlive its deadline by that delay.
     */
    static final long HOLD_SLACK_MS = 100;
    /** Subtracted from every gate's time: the 10 ms resolution of {@code /proc/uptime} and the kernel's tick. */
    static final long GATE_GUARD_MS = 20;
    /** The shortest gate a hold opens: later than this before its deadline, nothing is done. */
    static final long GATE_MIN_MS = 50;

    /**
     * Holds VIPs behind a <b>gate</b>: one bash process reads the time (CLOCK_BOOTTIME, {@code /proc/uptime}), then
     * in one nftables transaction rebuilds the gate tables ({@value #GATE_TABLE}, inet and arp) so that each VIP
     * answers (ARP, neighbour advertisements, packets to and from it) only while its element in the {@code live} set
     * lives: its timeout ends at the hold's deadline, counted by the kernel, to the millisecond, whatever happens to
     * this node's processes afterwards (a freeze of the whole service included). Then {@code ip} adds or renews the
     * addresses (with a kernel lifetime of {@value #LIFETIME_S} s, a backstop that removes them 1-1.26 s after the
     * last hold), and the time is read again. Too late before: exit 3, nothing done. The change took longer than
     * {@value #HOLD_SLACK_MS} ms (the process was frozen or starved between the two readings): the gate is closed and
     * the addresses deleted, exit 4. So no change held up by a freeze opens a gate past its deadline; the check is in
     * the same process as the change, which does not depend on this JVM being scheduled after a thaw. It runs under
     * the guardian's lock and changes nothing once the guardian marked this process ended (exit 5;
     * {@link VipGuardian}). The gate failing (nftables missing or refusing): the addresses are removed, exit 7.
     * Arguments: interface, IPv4 label, start deadline, gate deadline (centiseconds of uptime), slack (centiseconds),
     * gate table, lock file or "", then every VIP this node holds.
     */
    private static final String HOLD_SCRIPT = "dev=$1; label=$2; by=$3; until=$4; slack=$5; T=$6; lock=$7; shift 7; "
            + "if [ -n \"$lock\" ]; then exec 9<>\"$lock\" && flock -w 1 9 || exit 6; "
            + "read -r st <&9; [ \"$st\" != ended ] || exit 5; fi; "
            + "cs() { read -r u _ </proc/uptime; c=$((10#${u%.*}${u#*.})); }; "
            + "cs; [ \"$c\" -le \"$by\" ] || exit 3; c0=$c; t=$(( (until - c) * 10 ))ms; "
            + "b=; v4=; v6=; l4=; l6=; r4=; nl=$'\\n'; "
            + "for x in \"$@\"; do a=${x#q=}; case $a in "
            + "*:*) v6=\"$v6${v6:+, }$a\"; l6=\"$l6${l6:+, }$a timeout $t\"; "
            + "b=\"${b}address replace $a/128 dev $dev nodad valid_lft " + LIFETIME_S + " preferred_lft "
            + LIFETIME_S + "$nl\" ;; "
            + "*) v4=\"$v4${v4:+, }$a\"; l4=\"$l4${l4:+, }$a timeout $t\"; "
            + "[ \"$x\" != \"$a\" ] || r4=\"$r4${r4:+, }$a timeout $t\"; "
            + "b=\"${b}address replace $a/32 dev $dev label $label valid_lft " + LIFETIME_S + " preferred_lft "
            + LIFETIME_S + "$nl\" ;; esac; done; "
            + "e4=; e6=; f4=; f6=; g4=; if [ -n \"$v4\" ]; then e4=\"elements = { $v4 }\"; f4=\"elements = { $l4 }\"; fi; "
            + "if [ -n \"$r4\" ]; then g4=\"elements = { $r4 }\"; fi; "
            + "if [ -n \"$v6\" ]; then e6=\"elements = { $v6 }\"; f6=\"elements = { $l6 }\"; fi; "
            + "g=\"add table inet $T${nl}delete table inet $T${nl}add table arp $T${nl}delete table arp $T${nl}"
            + "table inet $T {${nl}set vip4 { type ipv4_addr; $e4${nl}}${nl}"
            + "set live4 { type ipv4_addr; flags timeout; $f4${nl}}${nl}"
            + "set vip6 { type ipv6_addr; $e6${nl}}${nl}"
            + "set live6 { type ipv6_addr; flags timeout; $f6${nl}}${nl}"
            + "chain in { type filter hook input priority -400; policy accept; "
            + "ip daddr @vip4 ip daddr != @live4 drop; ip6 daddr @vip6 ip6 daddr != @live6 drop; }${nl}"
            + "chain out { type filter hook output priority -400; policy accept; "
            + "ip saddr @vip4 ip saddr != @live4 drop; ip6 saddr @vip6 ip6 saddr != @live6 drop; }${nl}}${nl}"
            + "table arp $T {${nl}set vip4 { type ipv4_addr; $e4${nl}}${nl}"
            + "set live4 { type ipv4_addr; flags timeout; $g4${nl}}${nl}"
            + "chain in { type filter hook input priority 0; policy accept; "
            + "arp daddr ip @vip4 arp daddr ip != @live4 drop; }${nl}"
            + "chain out { type filter hook output priority 0; policy accept; "
            + "arp saddr ip @vip4 arp saddr ip != @live4 drop; }${nl}}\"; "
            + "shut() { nft \"flush set inet $T live4; flush set inet $T live6\"; nft flush set arp $T live4; "
            + "for x in \"$@\"; do a=${x#q=}; case $a in "
            + "*:*) ip -6 addr del \"$a/128\" dev \"$dev\" ;; *) ip -4 addr del \"$a/32\" dev \"$dev\" ;; esac; "
            + "done; } >/dev/null 2>&1; "
            + "err=$(nft -f - 2>&1 <<<\"$g\") || { shut \"$@\"; echo \"$err\"; exit 7; }; "
            + "ip -force -batch - <<<\"$b\"; r=$?; cs; "
            + "if [ $((c - c0)) -gt \"$slack\" ]; then shut \"$@\"; exit 4; fi; exit $r";

    @Override
    public Hold hold(Set<String> addresses, long notAfterNanos, long answerUntilNanos) throws VipException {
        return hold(addresses, Set.of(), notAfterNanos, answerUntilNanos);
    }

    /**
     * As {@link #hold(Set, long, long)}; each VIP in {@code quiet} (IPv4) is left out of the ARP gate's {@code live}
     * set: it answers packets that reach this node, but no ARP request, so the neighbours turn to the next holder.
     */
    @Override
    public Hold hold(Set<String> addresses, Set<String> quiet, long notAfterNanos, long answerUntilNanos)
            throws VipException {
        if (addresses.isEmpty()) {
            return Hold.HELD;
        }
        long now = System.nanoTime();
        long gateEnd = answerUntilNanos - TimeUnit.MILLISECONDS.toNanos(HOLD_SLACK_MS + GATE_GUARD_MS);
        long startBy = Math.min(notAfterNanos, gateEnd - TimeUnit.MILLISECONDS.toNanos(GATE_MIN_MS));
        if (now > startBy) {
            return Hold.TOO_LATE;
        }
        long uptime = uptimeCentis();
        // Deadlines in uptime centiseconds, rounded down and one less: /proc/uptime truncates, so a reading at or
        // before them is certainly before the nanoTime deadlines.
        long by = uptime + Math.floorDiv(startBy - now, 10_000_000L) - 1;
        long until = uptime + Math.floorDiv(gateEnd - now, 10_000_000L) - 1;
        java.nio.file.Path lock = guardian.lockFile();
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", HOLD_SCRIPT, "duet-vip-hold", iface, label(),
                Long.toString(by), Long.toString(until), Long.toString(slackMs / 10), GATE_TABLE,
                lock == null ? "" : lock.toString()));
        for (String a : new java.util.TreeSet<>(addresses)) {
            cmd.add(quiet.contains(a) ? "q=" + a : a);
        }
        Ran r = execute(cmd, Set.of(0, 3, 4, 5, 7));
        int exit = r.exit();
        if (exit == 7) {
            throw new VipException(CANNOT_HOLD_VIPS + " cannot hold VIPs " + new java.util.TreeSet<>(addresses)
                    + ": their nftables gate (tables " + GATE_TABLE + ") was refused, so the addresses were removed "
                    + "again (is nftables installed, with nf_tables and its arp family in the kernel?): "
                    + r.output().trim());
        }
        return exit == 3 || exit == 5 ? Hold.TOO_LATE : exit == 4 ? Hold.UNDONE : Hold.HELD;
    }

    private volatile long slackMs = HOLD_SLACK_MS;

    /** Tests: a slack below zero makes every change count as held up. */
    void slackForTest(long ms) {
        slackMs = ms;
    }

    private final HandoverRelay relay = new HandoverRelay(this::nft, this::iface);

    private String iface() {
        return iface;
    }

    @Override
    public String handoverAddress() {
        if (cannotHold() != null) {
            return null;
        }
        try {
            String mac = run(List.of("cat", "/sys/class/net/" + iface + "/address"), false).trim();
            return HandoverRelay.usable(mac) ? mac : null;
        } catch (VipException e) {
            LOG.warn("{} (this node's hardware address: planned moves drain instead of handing VIPs over)",
                    e.getMessage());
            return null;
        }
    }

    @Override
    public boolean relay(String address, String mac) {
        return !isV6(address) && relay.relay(address, mac, handoverAddress());
    }

    @Override
    public void unrelay(String address) {
        relay.unrelay(address);
    }

    @Override
    public void unrelayAll() {
        relay.removeAll();
    }

    /** Runs {@code nft -f -} with this script; its exit code (0 ok, 1 refused) and output. */
    private HandoverRelay.Outcome nft(String script) {
        Ran r = launch(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.UTF_8));
        return switch (r.failure()) {
            case NONE -> new HandoverRelay.Outcome(r.exit(), r.output().trim());
            case TIMEOUT -> new HandoverRelay.Outcome(-1, "nft did not finish within " + TIMEOUT_MS + " ms");
            case NOT_RUN -> new HandoverRelay.Outcome(-1, "nft could not run: " + r.output());
            case INTERRUPTED -> new HandoverRelay.Outcome(-1, "interrupted");
        };
    }

    /** Why this node cannot hold VIPs (nftables missing), or null. */
    @Override
    public String cannotHold() {
        return VipGuardian.onPath("nft") ? null : CANNOT_HOLD_VIPS + " this node cannot hold VIPs: `nft` (nftables) is "
                + "not installed, and every VIP answers only through its nftables gate (see docs/pair-safety.md); "
                + "install nftables and restart";
    }

    /** Centiseconds since boot (CLOCK_BOOTTIME), as the hold script reads them. */
    private static long uptimeCentis() throws VipException {
        try {
            String u = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).trim().split("\\s+")[0];
            int dot = u.indexOf('.');
            return Long.parseLong(u.substring(0, dot)) * 100 + Long.parseLong(u.substring(dot + 1));
        } catch (IOException | RuntimeException e) {
            throw new VipException(VIP_COMMAND_FAILED + " cannot read /proc/uptime to date a VIP's lifetime: " + e);
        }
    }

    @Override
    public void announce(String address) throws VipException {
        if (isV6(address)) {
            announceV6(address);
            return;
        }
        // One gratuitous request (sent at once; arping then waits a second for replies nobody sends). The agent
        // repeats it, checking before each that it still holds the VIP: a burst left running after a release would
        // point the neighbours back at this node while the peer holds the VIP. Exit 1 (no reply) is normal.
        run(List.of("arping", "-U", "-c", "1", "-w", "1", "-I", iface, address), true);
    }

    /**
     * An unsolicited neighbour advertisement for an IPv6 VIP. Debian's and Fedora's ndisc6 packages have no
     * {@code ndsend}, so the portable way is the kernel's own: with {@code net.ipv6.conf.IFACE.ndisc_notify=1}, setting
     * the interface's (unchanged) hardware address makes the kernel advertise every address of the interface, the VIP
     * included. {@code ndsend} is used when installed. Without either, neighbours learn the move only when their
     * cache entry expires (warned once, DUET-CLUSTER-0041).
     */
    private void announceV6(String address) throws VipException {
        try {
            run(List.of("ndsend", address, iface), false);
            return;
        } catch (VipException e) {
            // not installed (usual): the kernel below
        }
        // The kernel announces when the interface's own setting or the "all" one is 1 (the package sets both).
        String notify = run(List.of("cat", "/proc/sys/net/ipv6/conf/" + iface + "/ndisc_notify",
                "/proc/sys/net/ipv6/conf/all/ndisc_notify"), false);
        if (!notify.lines().map(String::trim).toList().contains("1")) {
            if (!ndsendMissingReported) {
                ndsendMissingReported = true;
                LOG.warn("{} cannot announce IPv6 VIP {}: set net.ipv6.conf.{}.ndisc_notify=1 (the "
                        + "package does this in /etc/sysctl.d) or install ndsend; until then neighbours learn the "
                        + "move only when their cache entry expires", IPV6_NOT_ANNOUNCED, address, iface);
            }
            return;
        }
        String link = run(List.of("ip", "-o", "link", "show", "dev", iface), false);
        int i = link.indexOf("link/ether ");
        if (i < 0) {
            throw new VipException(VIP_COMMAND_FAILED + " no hardware address on " + iface + " to announce " + address);
        }
        String mac = link.substring(i + "link/ether ".length()).trim().split("\\s+")[0];
        run(List.of("ip", "link", "set", "dev", iface, "address", mac), false);
    }

    @Override
    public void release(String address) throws VipException {
        String v = isV6(address) ? "-6" : "-4";
        String len = isV6(address) ? "/128" : "/32";
        if (!present(Set.of(address)).isEmpty()) {
            // Exit 2 with the address gone: its lifetime ran out meanwhile.
            if (runForExit(List.of("ip", v, "addr", "del", address + len, "dev", iface), Set.of(0, 2)) == 2
                    && !present(Set.of(address)).isEmpty()) {
                throw new VipException(VIP_COMMAND_FAILED + " `ip " + v + " addr del " + address + len + " dev " + iface
                        + "` failed and the address is still there");
            }
        }
    }

    /** The nftables table of the hold-backs: Duet's own, removed at start, by the guardian and by release-vips. */
    static final String NFT_TABLE = "duet_vips";
    private volatile boolean nftReady;
    private volatile boolean nftMissingReported;

    /**
     * Drops new TCP connections (SYN without ACK) to the VIP with an nftables set element; established connections
     * pass. The table ({@value #NFT_TABLE}: two sets and one input chain) is created at the first use.
     */
    @Override
    public boolean holdBackNew(String address) {
        return holdBackNew(address, true);
    }

    private boolean holdBackNew(String address, boolean mayRetry) {
        try {
            if (!nftReady) {
                admitAll();
                run(List.of("nft", "add table inet " + NFT_TABLE + "; "
                        + "add set inet " + NFT_TABLE + " hold4 { type ipv4_addr; }; "
                        + "add set inet " + NFT_TABLE + " hold6 { type ipv6_addr; }; "
                        + "add chain inet " + NFT_TABLE + " input { type filter hook input priority -10; "
                        + "policy accept; }; "
                        + "add rule inet " + NFT_TABLE + " input ip daddr @hold4 tcp flags & (syn | ack) == syn drop; "
                        + "add rule inet " + NFT_TABLE + " input ip6 daddr @hold6 tcp flags & (syn | ack) == syn drop"),
                        false);
                nftReady = true;
            }
            List<String> add = List.of("nft", "add element inet " + NFT_TABLE + " " + (isV6(address) ? "hold6"
                    : "hold4") + " { " + address + " }");
            try {
                run(add, false);
            } catch (VipException gone) {
                if (!mayRetry) {
                    throw gone;
                }
                nftReady = false; // the table was removed meanwhile (the guardian, after a stall): make it again
                return holdBackNew(address, false);
            }
            return true;
        } catch (VipException e) {
            if (!nftMissingReported) {
                nftMissingReported = true;
                LOG.warn("{} cannot hold back new connections to VIP {} before a planned move ({}): "
                        + "install nftables; until then planned moves do not drain, and requests in flight at the "
                        + "move can be lost", NO_DRAIN_GATE, address, e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void admitNew(String address) {
        if (!nftReady) {
            return;
        }
        try {
            run(List.of("nft", "delete element inet " + NFT_TABLE + " " + (isV6(address) ? "hold6" : "hold4")
                    + " { " + address + " }"), true); // 1: not held back (any more)
        } catch (VipException e) {
            LOG.warn("{} (letting new connections to VIP {} in again)", e.getMessage(), address);
        }
    }

    @Override
    public void admitAll() {
        try {
            run(List.of("nft", "delete table inet " + NFT_TABLE), true); // 1: no such table
        } catch (VipException e) {
            // nft not installed: nothing can be held back either
        }
        nftReady = false;
    }

    @Override
    public void removeGates() {
        for (String family : List.of("inet", "arp")) {
            try {
                run(List.of("nft", "delete table " + family + " " + GATE_TABLE), true); // 1: no such table
            } catch (VipException e) {
                // nft not installed: no gates either
            }
        }
    }

    /** The guardian removes these VIPs when this process ends or stops (see {@link VipGuardian}). */
    @Override
    public void guard(Set<String> addresses) {
        guardian.guard(addresses);
    }

    /** The agent's sign of life (its lease runs): keeps the guardian from removing the VIPs. */
    @Override
    public void alive() {
        guardian.alive();
    }

    /** The guardian (tests). */
    VipGuardian guardian() {
        return guardian;
    }

    @Override
    public Set<String> present(Set<String> candidates) throws VipException {
        String out = run(List.of("ip", "-o", "addr", "show", "dev", iface), false);
        Set<String> on = new HashSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet") || f[i].equals("inet6")) {
                    String a = f[i + 1];
                    int slash = a.indexOf('/');
                    on.add(normalize(slash < 0 ? a : a.substring(0, slash)));
                }
            }
        }
        Set<String> found = new HashSet<>();
        for (String c : candidates) {
            if (on.contains(normalize(c))) {
                found.add(c);
            }
        }
        return found;
    }

    private static boolean isV6(String address) {
        return address.indexOf(':') >= 0;
    }

    private static String normalize(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return literal;
        }
    }

    private String run(List<String> command, boolean exitOneIsFine) throws VipException {
        return execute(command, exitOneIsFine ? Set.of(0, 1) : Set.of(0)).output();
    }

    private int runForExit(List<String> command, Set<Integer> fine) throws VipException {
        return execute(command, fine).exit();
    }

    /** Runs a command; its exit code and output when the exit code is in {@code fine}, else a VipException. */
    private Ran execute(List<String> command, Set<Integer> fine) throws VipException {
        Ran r = launch(command, null);
        return switch (r.failure()) {
            case TIMEOUT -> throw new VipException(VIP_COMMAND_FAILED + " `" + shown(command)
                    + "` did not finish within " + TIMEOUT_MS + " ms");
            case NOT_RUN -> throw new VipException(VIP_COMMAND_FAILED + " `" + shown(command) + "` could not run: "
                    + r.output() + " (is " + command.get(0) + " installed?)");
            case INTERRUPTED -> throw new VipException(VIP_COMMAND_FAILED + " interrupted while running `"
                    + shown(command) + "`");
            case NONE -> {
                if (!fine.contains(r.exit())) {
                    throw new VipException(VIP_COMMAND_FAILED + " `" + shown(command) + "` failed (exit " + r.exit()
                            + "): " + r.output().trim());
                }
                yield r;
            }
        };
    }

    /** How a command ended: it ran (exit code and output), or not (output: why it could not start). */
    private record Ran(Failure failure, int exit, String output) {
        enum Failure { NONE, TIMEOUT, NOT_RUN, INTERRUPTED }
    }

    /**
     * Runs one command (after the prefix) with {@code stdin} (null: none) within {@link #TIMEOUT_MS}: the one place
     * the actuator starts a process.
     */
    private Ran launch(List<String> command, byte[] stdin) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Ran(Ran.Failure.TIMEOUT, -1, "");
            }
            return new Ran(Ran.Failure.NONE, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Ran(Ran.Failure.NOT_RUN, -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ran(Ran.Failure.INTERRUPTED, -1, "");
        }
    }

    /** A command as the log shows it (the hold script's body left out). */
    private static String shown(List<String> command) {
        return command.size() > 2 && command.get(2) == HOLD_SCRIPT
                ? String.join(" ", command.subList(3, command.size())) : String.join(" ", command);
    }

    @Override
    public String toString() {
        return "IpCommandActuator[" + iface + "]";
    }

    static boolean isV6Literal(String a) {
        try {
            return InetAddress.getByName(a) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
