package io.duet.appliance.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every add and delete of a lab VIP on the hosts' eth0, as the kernel reports them ({@code ip -ts monitor address},
 * stamped by {@code ip} as it receives each event), and every opening of a VIP's gate ({@code nft monitor new
 * elements}: an element of the {@code live} set with its timeout, stamped when this JVM reads it, so the gate's end
 * computed from it is never earlier than the kernel's): the ground truth for "who held the address when" and "who
 * answered for it when". A host answers for a VIP while the address is on its interface and its gate is open.
 */
public final class AddressLog implements AutoCloseable {
    /** One kernel event: {@code host} gained ({@code added}) or lost the address at {@code atMs} (epoch ms). */
    public record Event(long atMs, String host, String vip, boolean added) {
    }

    /** A time both hosts held a VIP. */
    public record Overlap(String vip, long fromMs, long toMs) {
        public long ms() {
            return toMs - fromMs;
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[(\\S+)\\]\\s+(Deleted\\s+)?\\d+:\\s+eth0\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/32\\b");
    /** A host's gate for a VIP opened at {@code fromMs} until {@code toMs} (epoch ms) at the latest. */
    public record Gate(String host, String vip, long fromMs, long toMs) {
    }

    /**
     * The ARP gate decides who answers for a VIP (a VIP handed over stays configured, quiet, with its ARP gate closed:
     * VipAgent): its openings, and its closings (each hold rebuilds the table: "delete table", then the new elements).
     */
    private static final Pattern GATE_LINE = Pattern.compile("^add element arp duet_gate live4 \\{(.*)\\}");
    private static final Pattern GATE_CLOSED = Pattern.compile("^delete table arp duet_gate\\b");
    private static final Pattern GATE_FLUSHED = Pattern.compile("^delete element arp duet_gate live4 \\{(.*)\\}");
    private static final Pattern GATE_ELEMENT = Pattern.compile(
            "(\\d+\\.\\d+\\.\\d+\\.\\d+) timeout (?:(\\d+)s)?(?:(\\d+)ms)?");
    private final List<Event> events = new CopyOnWriteArrayList<>();
    /**
     * Per host and VIP, the times its gate was open, oldest first, overlapping openings merged (a renewal every
     * 200 ms would otherwise make tens of thousands of entries, and the monitor's reader fell behind copying them).
     */
    private final Map<String, List<Gate>> gates = new java.util.concurrent.ConcurrentHashMap<>();
    /** Lines of a gate monitor that are not element additions (an error, events lost): the record is incomplete. */
    private final List<String> gateTrouble = new CopyOnWriteArrayList<>();
    private final Map<String, LabProcess> gateMonitors = new TreeMap<>();
    private final List<LabProcess> monitors = new ArrayList<>();
    private final Set<String> vips;
    private final List<String> hosts;

    private AddressLog(Set<String> vips, List<String> hosts) {
        this.vips = vips;
        this.hosts = List.copyOf(hosts);
    }

    /** Starts one monitor per host (from the root namespace, with {@code ip -n}). */
    public static AddressLog start(Lab lab, List<String> hosts, Set<String> vips, Path logDir) throws IOException {
        AddressLog log = new AddressLog(vips, hosts);
        for (String h : hosts) {
            List<String> cmd = List.of("ip", "-n", lab.ns(h), "-ts", "monitor", "address", "dev", "eth0");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            log.monitors.add(LabProcess.wrap("monitor-" + h, p, logDir.resolve("monitor-" + h + ".log"),
                    line -> log.parse(h, line)));
            Process g = new ProcessBuilder("ip", "netns", "exec", lab.ns(h), "nft", "monitor")
                    .redirectErrorStream(true).start();
            LabProcess gm = LabProcess.wrap("gates-" + h, g, logDir.resolve("gates-" + h + ".log"),
                    line -> log.parseGate(h, line, System.currentTimeMillis()));
            log.monitors.add(gm);
            log.gateMonitors.put(h, gm);
        }
        return log;
    }

    private void parseGate(String host, String line, long atMs) {
        Matcher flushed = GATE_FLUSHED.matcher(line);
        boolean closedAll = GATE_CLOSED.matcher(line).find();
        if (closedAll || flushed.find()) {
            String which = closedAll ? null : flushed.group(1);
            for (Map.Entry<String, List<Gate>> e : gates.entrySet()) {
                if (e.getKey().startsWith(host + " ") && (which == null
                        || which.matches(".*\\b" + Pattern.quote(e.getKey().substring(host.length() + 1)) + "\\b.*"))) {
                    List<Gate> list = e.getValue();
                    synchronized (list) {
                        Gate last = list.isEmpty() ? null : list.get(list.size() - 1);
                        if (last != null && last.toMs() > atMs) {
                            list.set(list.size() - 1, new Gate(host, last.vip(), last.fromMs(), atMs));
                        }
                    }
                }
            }
            return;
        }
        Matcher m = GATE_LINE.matcher(line);
        if (!m.find()) {
            if (!line.startsWith("add ") && !line.startsWith("delete ") && !line.startsWith("flush ")
                    && !line.startsWith("# ") && !line.isBlank()) {
                gateTrouble.add(host + ": " + line);
            }
            return;
        }
        Matcher e = GATE_ELEMENT.matcher(m.group(1));
        while (e.find()) {
            if (vips.contains(e.group(1))) {
                long ms = (e.group(2) == null ? 0 : Long.parseLong(e.group(2)) * 1000)
                        + (e.group(3) == null ? 0 : Long.parseLong(e.group(3)));
                List<Gate> list = gates.computeIfAbsent(host + " " + e.group(1), k -> new ArrayList<>());
                synchronized (list) {
                    Gate last = list.isEmpty() ? null : list.get(list.size() - 1);
                    if (last != null && atMs <= last.toMs()) {
                        list.set(list.size() - 1, new Gate(host, e.group(1), last.fromMs(),
                                Math.max(last.toMs(), atMs + ms)));
                    } else {
                        list.add(new Gate(host, e.group(1), atMs, atMs + ms));
                    }
                }
            }
        }
    }

    /** The latest end of {@code host}'s gate for {@code vip} among those opened before {@code beforeMs}, or 0. */
    public long gateEnd(String host, String vip, long beforeMs) {
        return gatesOf(host, vip).stream().filter(g -> g.fromMs() < beforeMs).mapToLong(Gate::toMs).max().orElse(0);
    }

    private List<Gate> gatesOf(String host, String vip) {
        List<Gate> list = gates.getOrDefault(host + " " + vip, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** True when {@code host}'s gate for {@code vip} may have been open at {@code atMs}. */
    private boolean gateOpen(List<Gate> of, long atMs) {
        return of.stream().anyMatch(g -> g.fromMs() <= atMs && atMs < g.toMs());
    }

    /** The gate record is complete: every monitor still runs and none reported trouble (else the test fails). */
    private void requireCompleteGateRecord() {
        gateMonitors.forEach((h, p) -> {
            if (!p.alive()) {
                throw new IllegalStateException("the gate monitor of " + h + " stopped: the record is incomplete");
            }
        });
        if (!gateTrouble.isEmpty()) {
            throw new IllegalStateException("gate monitors reported " + gateTrouble);
        }
    }

    /**
     * The parts of the {@linkplain #overlaps address overlaps} in which both hosts answered for the VIP: both gates
     * open (checked at every millisecond of the overlap). "Never two holders" means this is empty.
     */
    public List<Overlap> answeringOverlaps() {
        requireCompleteGateRecord();
        List<Overlap> out = new ArrayList<>();
        for (Overlap o : overlaps()) {
            long to = o.toMs() == Long.MAX_VALUE ? System.currentTimeMillis() : o.toMs();
            long from = -1;
            List<List<Gate>> of = hosts.stream().map(h -> gatesOf(h, o.vip())).toList();
            for (long t = o.fromMs(); t <= to; t++) {
                long at = t;
                boolean both = of.stream().filter(g -> gateOpen(g, at)).count() > 1;
                if (both && from < 0) {
                    from = t;
                } else if (!both && from >= 0) {
                    out.add(new Overlap(o.vip(), from, t));
                    from = -1;
                }
            }
            if (from >= 0) {
                out.add(new Overlap(o.vip(), from, to));
            }
        }
        return out;
    }

    private void parse(String host, String line) {
        Matcher m = LINE.matcher(line);
        if (m.find() && vips.contains(m.group(3))) {
            long at = LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            events.add(new Event(at, host, m.group(3), m.group(2) == null));
        }
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The first event after {@code afterMs} matching host, vip and kind, or null. */
    public Event first(String host, String vip, boolean added, long afterMs) {
        return events.stream().filter(e -> e.host().equals(host) && e.vip().equals(vip) && e.added() == added
                && e.atMs() >= afterMs).findFirst().orElse(null);
    }

    /** Every interval in which two hosts held the same VIP (replaying the events in time order). */
    public List<Overlap> overlaps() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort((x, y) -> Long.compare(x.atMs(), y.atMs()));
        Map<String, Set<String>> holders = new TreeMap<>();
        Map<String, Long> since = new TreeMap<>();
        List<Overlap> out = new ArrayList<>();
        for (Event e : sorted) {
            Set<String> h = holders.computeIfAbsent(e.vip(), k -> new java.util.TreeSet<>());
            boolean before = h.size() > 1;
            if (e.added()) {
                h.add(e.host());
            } else {
                h.remove(e.host());
            }
            boolean after = h.size() > 1;
            if (!before && after) {
                since.put(e.vip(), e.atMs());
            } else if (before && !after) {
                out.add(new Overlap(e.vip(), since.remove(e.vip()), e.atMs()));
            }
        }
        since.forEach((vip, from) -> out.add(new Overlap(vip, from, Long.MAX_VALUE)));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (LabProcess p : monitors) {
            p.close();
        }
    }
}
