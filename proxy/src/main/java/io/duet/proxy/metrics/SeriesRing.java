package io.duet.proxy.metrics;

import java.util.Arrays;

/**
 * The samples of one route, pool or server for the last {@code capacity} intervals of {@link MetricsHistory}, in
 * one {@code int} array ({@link #FIELDS} per sample, latencies as float bits), plus what the sampler needs to turn
 * the bundle's running counts into the counts of one interval. Written by the sampler thread, read under the
 * history's lock; not thread-safe on its own.
 */
final class SeriesRing {
    static final int REQUESTS = 0;
    /** Responses 2xx, 3xx, 4xx, 5xx: {@code RESPONSES + class - 2}. */
    static final int RESPONSES = 1;
    static final int NO_SERVER = 5;
    static final int QUEUE_REJECTED = 6;
    static final int CONNECT_ERRORS = 7;
    static final int RESPONSE_TIMEOUTS = 8;
    static final int P50 = 9;
    static final int P95 = 10;
    static final int P99 = 11;
    static final int FIELDS = 12;
    /** Counts read from the bundle: requests, responses 2xx-5xx, then the four Duet errors. */
    private static final int COUNTS = 9;

    final String kind;
    /** The pool of a server, the virtual host of a route; null for a pool. */
    final String scope;
    final String name;
    final TrafficMetrics bundle;
    /** The sample index (history tick) of this ring's first sample. */
    final long born;
    private final int[] data;
    private final int capacity;
    private final long[] previous = new long[COUNTS];
    private final long[] cursor;

    /**
     * A ring whose baseline is the bundle's state at this moment: {@code counts} (as {@link #counts} gives them) and
     * the latencies recorded so far are not part of any sample.
     */
    SeriesRing(TrafficMetrics bundle, long born, int capacity, long[] counts) {
        this(bundle, born, capacity, counts, true);
    }

    /**
     * A ring for a bundle created since the previous sample: everything it counted and timed since its creation (its
     * counts started at 0) belongs to its first sample, {@code born}.
     */
    static SeriesRing fromCreation(TrafficMetrics bundle, long born, int capacity) {
        return new SeriesRing(bundle, born, capacity, new long[COUNTS], false);
    }

    private SeriesRing(TrafficMetrics bundle, long born, int capacity, long[] counts, boolean latenciesFromNow) {
        this.bundle = bundle;
        this.kind = bundle.kind();
        this.scope = switch (kind) {
            case "server" -> bundle.label("pool");
            case "route" -> bundle.label("vhost");
            default -> null;
        };
        this.name = switch (kind) {
            case "server" -> bundle.label("server");
            case "route" -> bundle.label("route");
            default -> bundle.label("pool");
        };
        this.born = born;
        this.capacity = capacity;
        this.data = new int[capacity * FIELDS];
        System.arraycopy(counts, 0, previous, 0, COUNTS);
        this.cursor = bundle.latencyTimer().newCursor();
        if (latenciesFromNow) {
            bundle.latencyTimer().durationsSince(cursor, new long[1]); // start the latency cursor at now
        }
    }

    /** Bytes of one ring of this capacity (the array and its header; the fixed fields are a few dozen more). */
    static long bytes(int capacity) {
        return 16L + 4L * FIELDS * capacity;
    }

    /**
     * Records sample {@code tick} from the running counts (as {@link #counts} gives them) and the latencies recorded
     * since the previous sample. A count that went down (a pool's sum over its servers when one left) counts 0; a
     * replaced bundle gets a new ring, so its own counts never go down.
     *
     * @param scratch reused buffer for the latencies; its length bounds the sample they are taken from
     */
    void record(long tick, long[] counts, long[] scratch) {
        int at = (int) (tick % capacity) * FIELDS;
        for (int i = 0; i < COUNTS; i++) {
            long d = Math.max(0, counts[i] - previous[i]);
            data[at + i] = (int) Math.min(Integer.MAX_VALUE, d);
            previous[i] = counts[i];
        }
        int n = bundle.latencyTimer().durationsSince(cursor, scratch);
        Arrays.sort(scratch, 0, n);
        data[at + P50] = Float.floatToRawIntBits(percentileMs(scratch, n, 0.50));
        data[at + P95] = Float.floatToRawIntBits(percentileMs(scratch, n, 0.95));
        data[at + P99] = Float.floatToRawIntBits(percentileMs(scratch, n, 0.99));
    }

    /** Nearest-rank percentile of the first n sorted nanosecond values, in milliseconds; NaN when n is 0. */
    static float percentileMs(long[] sorted, int n, double q) {
        if (n == 0) {
            return Float.NaN;
        }
        int rank = (int) Math.ceil(q * n);
        return (float) (sorted[Math.max(0, rank - 1)] / 1e6);
    }

    /** Field {@code field} of sample {@code tick} (which must still be in the ring). */
    int get(long tick, int field) {
        return data[(int) (tick % capacity) * FIELDS + field];
    }

    /**
     * The running counts of a bundle in the order {@link #record} takes them: requests, responses 2xx-5xx, no server,
     * queue rejections, connect errors, response timeouts (the last two of a pool: the sum over {@code servers}).
     */
    static long[] counts(TrafficMetrics b, Iterable<ServerMetrics> poolServers) {
        long[] c = new long[COUNTS];
        c[REQUESTS] = b.requests().getCount();
        for (int k = 2; k <= 5; k++) {
            c[RESPONSES + k - 2] = b.responses(k).getCount();
        }
        if (b instanceof PoolMetrics p) {
            c[NO_SERVER] = p.noServerAvailable().getCount();
            c[QUEUE_REJECTED] = p.queueFull().getCount() + p.queueTimeouts().getCount();
            for (ServerMetrics s : poolServers) {
                c[CONNECT_ERRORS] += s.connectErrors().getCount();
                c[RESPONSE_TIMEOUTS] += s.responseTimeouts().getCount();
            }
        } else if (b instanceof ServerMetrics s) {
            c[CONNECT_ERRORS] = s.connectErrors().getCount();
            c[RESPONSE_TIMEOUTS] = s.responseTimeouts().getCount();
        }
        return c;
    }
}
