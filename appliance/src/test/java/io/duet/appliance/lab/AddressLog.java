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
 * stamped by {@code ip} as it receives each event): the ground truth for "who held the address when".
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
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<LabProcess> monitors = new ArrayList<>();
    private final Set<String> vips;

    private AddressLog(Set<String> vips) {
        this.vips = vips;
    }

    /** Starts one monitor per host (from the root namespace, with {@code ip -n}). */
    public static AddressLog start(Lab lab, List<String> hosts, Set<String> vips, Path logDir) throws IOException {
        AddressLog log = new AddressLog(vips);
        for (String h : hosts) {
            List<String> cmd = List.of("ip", "-n", lab.ns(h), "-ts", "monitor", "address", "dev", "eth0");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            log.monitors.add(LabProcess.wrap("monitor-" + h, p, logDir.resolve("monitor-" + h + ".log"),
                    line -> log.parse(h, line)));
        }
        return log;
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
