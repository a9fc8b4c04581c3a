package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a whole {@link MetricRegistry} in the Prometheus text exposition format 0.0.4.
 *
 * <p>Dropwizard names are decoded with {@link MetricName#parse}; all metrics of one family are written together
 * under one {@code # HELP} and one {@code # TYPE} line, families sorted by name. Mapping:
 * <ul>
 *   <li>{@link Counter}: a {@code counter} if its family ends in {@code _total}; otherwise a {@code gauge}, since a
 *       Dropwizard counter can go down (e.g. {@code duet_route_active_requests}).</li>
 *   <li>{@link Meter}: a {@code counter} of its count; {@code _total} is appended to the family if missing.</li>
 *   <li>{@link Gauge}: a {@code gauge} if its value is a {@link Number} or {@link Boolean} (1/0); other values are
 *       skipped.</li>
 *   <li>{@link Timer}: a {@code summary} in seconds with quantiles 0.5, 0.9, 0.99, 0.999 of its reservoir,
 *       {@code _count} (exact) and {@code _sum}. The proxy's own latency timers keep an exact running sum; a stock
 *       Dropwizard Timer keeps none, so its {@code _sum} is approximated as the reservoir's mean times the count.</li>
 *   <li>{@link Histogram}: a {@code summary} of the raw values, same quantiles and the same approximated sum.</li>
 * </ul>
 * A metric whose family was already written with another type is skipped.
 *
 * <p>Thread: any non-I/O thread; it takes a snapshot of every timer and histogram, so it allocates and costs
 * roughly a microsecond per metric. Values are read one by one, not atomically across metrics.
 */
public final class PrometheusTextWriter {

    /** The content type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final String[] QUANTILE_LABELS = {"0.5", "0.9", "0.99", "0.999"};
    private static final double NANOS_PER_SECOND = 1e9;

    private PrometheusTextWriter() {
    }

    private enum Type {
        COUNTER("counter"), GAUGE("gauge"), SUMMARY("summary");

        final String text;

        Type(String text) {
            this.text = text;
        }
    }

    /** gaugeValue: the value of a gauge, read once; null for other metrics. */
    private record Sample(MetricName name, Metric metric, Object gaugeValue) {
    }

    private static final class Family {
        final Type type;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(Type type, String help) {
            this.type = type;
            this.help = help;
        }
    }

    /** Writes every metric of the registry to out. Does not flush or close out. */
    public static void write(MetricRegistry registry, Appendable out) throws IOException {
        Map<String, Family> families = new TreeMap<>();
        for (Map.Entry<String, Gauge> e : registry.getGauges().entrySet()) {
            add(families, Type.GAUGE, MetricName.parse(e.getKey()), e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
            MetricName n = MetricName.parse(e.getKey());
            add(families, n.family().endsWith("_total") ? Type.COUNTER : Type.GAUGE, n, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Meter> e : registry.getMeters().entrySet()) {
            MetricName n = MetricName.parse(e.getKey());
            if (!n.family().endsWith("_total")) {
                n = new MetricName(n.family() + "_total", n.labels());
            }
            add(families, Type.COUNTER, n, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Histogram> e : registry.getHistograms().entrySet()) {
            add(families, Type.SUMMARY, MetricName.parse(e.getKey()), e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Timer> e : registry.getTimers().entrySet()) {
            add(families, Type.SUMMARY, MetricName.parse(e.getKey()), e.getKey(), e.getValue());
        }

        StringBuilder line = new StringBuilder(256);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            String family = e.getKey();
            Family f = e.getValue();
            line.setLength(0);
            line.append("# HELP ").append(family).append(' ');
            appendHelp(line, f.help);
            line.append('\n');
            line.append("# TYPE ").append(family).append(' ').append(f.type.text).append('\n');
            out.append(line);
            for (Sample s : f.samples) {
                line.setLength(0);
                writeSample(line, family, s);
                out.append(line);
            }
        }
    }

    private static void add(Map<String, Family> families, Type type, MetricName name, String dropwizardName,
                            Metric metric) {
        Object gaugeValue = metric instanceof Gauge<?> g ? g.getValue() : null;
        if (metric instanceof Gauge<?> && !(gaugeValue instanceof Number || gaugeValue instanceof Boolean)) {
            return;
        }
        Family f = families.get(name.family());
        if (f == null) {
            String help = Families.help(name.family());
            f = new Family(type, help != null ? help
                    : "Dropwizard metric " + (name.labels().isEmpty() ? dropwizardName : name.family()));
            families.put(name.family(), f);
        } else if (f.type != type) {
            return;
        }
        f.samples.add(new Sample(name, metric, gaugeValue));
    }

    private static void writeSample(StringBuilder sb, String family, Sample s) {
        Metric m = s.metric();
        List<MetricName.Label> labels = s.name().labels();
        if (m instanceof Counter c) {
            line(sb, family, labels, c.getCount());
        } else if (m instanceof Meter meter) {
            line(sb, family, labels, meter.getCount());
        } else if (m instanceof Gauge<?>) {
            Object v = s.gaugeValue();
            if (v instanceof Boolean b) {
                line(sb, family, labels, b ? 1 : 0);
            } else if (v instanceof Number n) {
                if (n instanceof Double || n instanceof Float) {
                    line(sb, family, labels, n.doubleValue());
                } else {
                    line(sb, family, labels, n.longValue());
                }
            }
        } else if (m instanceof LatencyTimer t) {
            long count = t.getCount();
            summary(sb, family, labels, t.getSnapshot(), count, t.sumNanos(), NANOS_PER_SECOND);
        } else if (m instanceof Timer t) {
            long count = t.getCount();
            Snapshot snapshot = t.getSnapshot();
            summary(sb, family, labels, snapshot, count, snapshot.getMean() * count, NANOS_PER_SECOND);
        } else if (m instanceof Histogram h) {
            long count = h.getCount();
            Snapshot snapshot = h.getSnapshot();
            summary(sb, family, labels, snapshot, count, snapshot.getMean() * count, 1.0);
        }
    }

    private static void summary(StringBuilder sb, String family, List<MetricName.Label> labels, Snapshot snapshot,
                                long count, double sum, double divisor) {
        for (int i = 0; i < QUANTILES.length; i++) {
            sb.append(family);
            MetricName.appendLabels(sb, labels, "quantile", QUANTILE_LABELS[i]);
            sb.append(' ');
            appendDouble(sb, snapshot.getValue(QUANTILES[i]) / divisor);
            sb.append('\n');
        }
        sb.append(family).append("_sum");
        MetricName.appendLabels(sb, labels, null, null);
        sb.append(' ');
        appendDouble(sb, sum / divisor);
        sb.append('\n');
        line(sb, family + "_count", labels, count);
    }

    private static void line(StringBuilder sb, String name, List<MetricName.Label> labels, long value) {
        sb.append(name);
        MetricName.appendLabels(sb, labels, null, null);
        sb.append(' ').append(value).append('\n');
    }

    private static void line(StringBuilder sb, String name, List<MetricName.Label> labels, double value) {
        sb.append(name);
        MetricName.appendLabels(sb, labels, null, null);
        sb.append(' ');
        appendDouble(sb, value);
        sb.append('\n');
    }

    /** Go-parsable float: NaN, +Inf, -Inf, integers without a fraction, otherwise Java's shortest repr. */
    static void appendDouble(StringBuilder sb, double v) {
        if (Double.isNaN(v)) {
            sb.append("NaN");
        } else if (Double.isInfinite(v)) {
            sb.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else {
            sb.append(v);
        }
    }

    /** HELP text escapes: backslash and line feed. */
    private static void appendHelp(StringBuilder sb, String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
    }
}
