package io.duet.proxy.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.duet.proxy.message.ProxyMessage.HISTORY_SERIES_CAPPED;

/**
 * The recent traffic of every pool, route and server, kept in memory on the node: a ring of the last
 * {@code capacity} intervals (720 of 5 s: one hour), one {@link SeriesRing} per object, sampled from the counters
 * and latency reservoirs the request path fills anyway (so it costs requests nothing). Lost at a restart.
 *
 * <p>Memory: {@link SeriesRing#bytes} per object (48 bytes a sample: 34,576 bytes for 720), allocated when the
 * object is first sampled and freed when it leaves the configuration; at most {@code maxSeries} objects (pools
 * first, then routes, then servers): 1,000 by default, about 33 MiB, enough for 50 pools, 200 routes and 500
 * servers (750 series, 24.7 MiB).
 *
 * <p>Threads: {@link #sample} from one thread at a time (the {@link HistorySampler}); {@link #query} from any
 * thread. Both take this object's lock; a sample of 1,000 series takes milliseconds.
 */
public final class MetricsHistory {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistory.class);
    public static final long DEFAULT_PERIOD_MILLIS = 5_000;
    public static final int DEFAULT_CAPACITY = 720;
    public static final int DEFAULT_MAX_SERIES = 1_000;
    /** Latencies sampled per object and interval at most (the most recent of each I/O thread). */
    static final int LATENCY_SAMPLE = 1024;

    private record Key(String kind, String scope, String name) {
    }

    private final ProxyMetrics metrics;
    private final Clock clock;
    private final long periodMillis;
    private final int capacity;
    private final int maxSeries;
    private final long[] at;
    private final int[] intervals;
    private final Map<Key, SeriesRing> series = new LinkedHashMap<>();
    private final long[] scratch = new long[LATENCY_SAMPLE];
    /** The bundles live at the previous sample, or when this history was made (by identity). */
    private Set<TrafficMetrics> previousLive;
    private long ticks; // samples taken so far; the next is at index ticks % capacity
    private long lastNanos;
    private int untracked;
    private boolean warned;

    public MetricsHistory(ProxyMetrics metrics, Clock clock, long periodMillis, int capacity, int maxSeries) {
        if (periodMillis < 1 || capacity < 2 || maxSeries < 1) {
            throw new IllegalArgumentException("periodMillis: " + periodMillis + ", capacity: " + capacity
                    + ", maxSeries: " + maxSeries + " (expected: >= 1, >= 2, >= 1)");
        }
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodMillis = periodMillis;
        this.capacity = capacity;
        this.maxSeries = maxSeries;
        this.at = new long[capacity];
        this.intervals = new int[capacity];
        this.lastNanos = System.nanoTime();
        // What the objects there now count from here on is the first sample's.
        List<TrafficMetrics> live = metrics.traffic();
        Map<String, List<ServerMetrics>> byPool = serversByPool(live);
        for (TrafficMetrics b : live) {
            if (series.size() < maxSeries) {
                series.put(key(b), new SeriesRing(b, 0, capacity, SeriesRing.counts(b, byPool.getOrDefault(
                        b.label("pool"), List.of()))));
            }
        }
        previousLive = identitySet(live);
    }

    private static Map<String, List<ServerMetrics>> serversByPool(List<TrafficMetrics> live) {
        Map<String, List<ServerMetrics>> byPool = new HashMap<>();
        for (TrafficMetrics b : live) {
            if (b instanceof ServerMetrics s) {
                byPool.computeIfAbsent(s.label("pool"), p -> new ArrayList<>()).add(s);
            }
        }
        return byPool;
    }

    private static Set<TrafficMetrics> identitySet(List<TrafficMetrics> live) {
        Set<TrafficMetrics> set = Collections.newSetFromMap(new IdentityHashMap<>(live.size() * 2));
        set.addAll(live);
        return set;
    }

    /** The nominal interval between samples. */
    public long periodMillis() {
        return periodMillis;
    }

    /** Samples kept per object. */
    public int capacity() {
        return capacity;
    }

    /** Objects kept at most. */
    public int maxSeries() {
        return maxSeries;
    }

    /** Objects sampled now. */
    public synchronized int seriesCount() {
        return series.size();
    }

    /** Objects that had no history at the last sample because {@link #maxSeries} were kept already. */
    public synchronized int untracked() {
        return untracked;
    }

    /** Bytes the rings take now (the sample arrays; a few dozen bytes per object more). */
    public synchronized long bytes() {
        return series.size() * SeriesRing.bytes(capacity) + 12L * capacity;
    }

    /**
     * Takes one sample of every object: the counts since the previous sample and the latencies recorded since
     * then. Objects that left the configuration lose their history. The first sample of an object holds all
     * it counted since this history was made or, when it came later, since it was created (its bundle's counts start
     * at 0): no request is missed however soon after its pool it comes. One that was left out at {@link #maxSeries}
     * and gets a place starts with the next sample. Sampler thread only; never an I/O thread.
     */
    public synchronized void sample() {
        long now = clock.millis();
        long nanos = System.nanoTime();
        long tick = ticks;
        List<TrafficMetrics> live = metrics.traffic();
        Map<String, List<ServerMetrics>> byPool = serversByPool(live);
        Map<Key, SeriesRing> next = new LinkedHashMap<>();
        int left = 0;
        List<String> leftOut = new ArrayList<>();
        for (TrafficMetrics b : live) {
            long[] counts = SeriesRing.counts(b, byPool.getOrDefault(b.label("pool"), List.of()));
            Key key = key(b);
            SeriesRing ring = series.get(key);
            if (ring != null && ring.bundle == b) {
                ring.record(tick, counts, scratch);
            } else if (next.size() < maxSeries) {
                if (!previousLive.contains(b)) {
                    // Created in this interval: its counts so far are this interval's.
                    ring = SeriesRing.fromCreation(b, tick, capacity);
                    ring.record(tick, counts, scratch);
                } else {
                    ring = new SeriesRing(b, tick + 1, capacity, counts); // counts from now on
                }
            } else {
                left++;
                if (leftOut.size() < 5) {
                    leftOut.add(key.kind + " " + (key.scope == null ? "" : key.scope + "/") + key.name);
                }
                continue;
            }
            next.put(key, ring);
        }
        series.clear();
        series.putAll(next);
        previousLive = identitySet(live);
        int i = (int) (tick % capacity);
        at[i] = now;
        intervals[i] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (nanos - lastNanos) / 1_000_000));
        lastNanos = nanos;
        ticks = tick + 1;
        untracked = left;
        if (left > 0 && !warned) {
            warned = true;
            LOG.warn("{} the metrics history keeps {} series at most: {} more get no history (e.g. {})",
                    HISTORY_SERIES_CAPPED, maxSeries, left, String.join(", ", leftOut));
        }
    }

    private static Key key(TrafficMetrics b) {
        return switch (b.kind()) {
            case "server" -> new Key("server", b.label("pool"), b.label("server"));
            case "route" -> new Key("route", b.label("vhost"), b.label("route"));
            default -> new Key("pool", null, b.label("pool"));
        };
    }

    /**
     * The history of the objects of a kind, optionally only one scope (a server's pool, a route's virtual host) and
     * name, with the samples taken after {@code sinceMillis} (0: all kept). Any thread; copies.
     *
     * @param kind {@code pool}, {@code route} or {@code server}
     */
    public synchronized List<HistorySeries> query(String kind, String scope, String name, long sinceMillis) {
        List<HistorySeries> out = new ArrayList<>();
        for (SeriesRing r : series.values()) {
            if (r.kind.equals(kind) && (scope == null || scope.equals(r.scope))
                    && (name == null || name.equals(r.name))) {
                out.add(copy(r, sinceMillis));
            }
        }
        return out;
    }

    private HistorySeries copy(SeriesRing r, long sinceMillis) {
        long first = Math.max(r.born, ticks - capacity);
        while (first < ticks && at[(int) (first % capacity)] <= sinceMillis) {
            first++;
        }
        int n = (int) Math.max(0, ticks - first);
        long[] times = new long[n];
        int[] lengths = new int[n];
        int[][] f = new int[SeriesRing.P50][n];
        float[][] p = new float[3][n];
        for (int k = 0; k < n; k++) {
            long t = first + k;
            times[k] = at[(int) (t % capacity)];
            lengths[k] = intervals[(int) (t % capacity)];
            for (int j = 0; j < SeriesRing.P50; j++) {
                f[j][k] = r.get(t, j);
            }
            for (int j = 0; j < 3; j++) {
                p[j][k] = Float.intBitsToFloat(r.get(t, SeriesRing.P50 + j));
            }
        }
        boolean route = r.kind.equals("route");
        boolean pool = r.kind.equals("pool");
        return new HistorySeries(r.kind, r.scope, r.name, times, lengths, f[SeriesRing.REQUESTS],
                f[SeriesRing.RESPONSES], f[SeriesRing.RESPONSES + 1], f[SeriesRing.RESPONSES + 2],
                f[SeriesRing.RESPONSES + 3], pool ? f[SeriesRing.NO_SERVER] : null,
                pool ? f[SeriesRing.QUEUE_REJECTED] : null, route ? null : f[SeriesRing.CONNECT_ERRORS],
                route ? null : f[SeriesRing.RESPONSE_TIMEOUTS], p[0], p[1], p[2]);
    }
}
