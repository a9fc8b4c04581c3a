package io.duet.proxy.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A metric family name with labels, encoded into one flat Dropwizard name in Prometheus sample syntax:
 * {@code duet_route_requests_total{vhost="api",route="users"}}.
 *
 * <p>Encoding: the family matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; labels follow in the order given, each
 * {@code name="value"}, comma-separated, no spaces; in values a backslash becomes {@code \\}, a double quote
 * {@code \"} and a line feed {@code \n} (exactly the Prometheus text format escapes). A name without labels has no
 * braces. {@link #parse} reverses this; a Dropwizard name that was not built here (e.g. {@code jvm.threads.count})
 * parses to a sanitized family ({@code jvm_threads_count}) without labels.
 *
 * <p>Build names once, when a bundle of metrics is created, never per request.
 *
 * @param family the family name
 * @param labels the labels in order
 */
public record MetricName(String family, List<Label> labels) {

    private static final Pattern FAMILY = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** One label: a name matching {@code [a-zA-Z_][a-zA-Z0-9_]*} and any value. */
    public record Label(String name, String value) {
        public Label {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public MetricName {
        Objects.requireNonNull(family, "family");
        labels = List.copyOf(labels);
    }

    /**
     * Encodes a family and label name/value pairs into a Dropwizard name.
     *
     * @param family         the family, e.g. {@code duet_route_requests_total}
     * @param nameValuePairs label name, label value, label name, label value...; a null value encodes as empty
     * @throws IllegalArgumentException if the family or a label name is not a valid Prometheus name, or the pairs
     *                                  are odd in number
     */
    public static String encode(String family, String... nameValuePairs) {
        if (!FAMILY.matcher(family).matches()) {
            throw new IllegalArgumentException("family: " + family + " (expected: [a-zA-Z_:][a-zA-Z0-9_:]*)");
        }
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels: " + nameValuePairs.length + " strings (expected: pairs)");
        }
        if (nameValuePairs.length == 0) {
            return family;
        }
        StringBuilder sb = new StringBuilder(family.length() + 16 * nameValuePairs.length);
        sb.append(family).append('{');
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            String name = nameValuePairs[i];
            if (name == null || !LABEL.matcher(name).matches()) {
                throw new IllegalArgumentException("label: " + name + " (expected: [a-zA-Z_][a-zA-Z0-9_]*)");
            }
            if (i > 0) {
                sb.append(',');
            }
            sb.append(name).append("=\"");
            appendEscaped(sb, nameValuePairs[i + 1] == null ? "" : nameValuePairs[i + 1]);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** Parses a Dropwizard name; never fails: names not in the encoding above become a sanitized bare family. */
    public static MetricName parse(String dropwizardName) {
        int brace = dropwizardName.indexOf('{');
        if (brace > 0 && dropwizardName.endsWith("}")) {
            String family = dropwizardName.substring(0, brace);
            List<Label> labels = parseLabels(dropwizardName, brace + 1, dropwizardName.length() - 1);
            if (labels != null && FAMILY.matcher(family).matches()) {
                return new MetricName(family, labels);
            }
        }
        return new MetricName(sanitize(dropwizardName), List.of());
    }

    /** This name encoded as by {@link #encode}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(family);
        appendLabels(sb, labels, null, null);
        return sb.toString();
    }

    /** The value of the label with this name, or {@code null}. */
    public String label(String name) {
        for (Label l : labels) {
            if (l.name().equals(name)) {
                return l.value();
            }
        }
        return null;
    }

    /**
     * Appends {@code {a="x",b="y"}} (nothing if there are no labels), with one extra label at the end if
     * {@code extraName} is not null.
     */
    static void appendLabels(StringBuilder sb, List<Label> labels, String extraName, String extraValue) {
        if (labels.isEmpty() && extraName == null) {
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Label l : labels) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(l.name()).append("=\"");
            appendEscaped(sb, l.value());
            sb.append('"');
        }
        if (extraName != null) {
            if (!first) {
                sb.append(',');
            }
            sb.append(extraName).append("=\"");
            appendEscaped(sb, extraValue);
            sb.append('"');
        }
        sb.append('}');
    }

    static void appendEscaped(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** Replaces every character outside {@code [a-zA-Z0-9_:]} with {@code _}; prefixes {@code _} to a leading digit. */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (c >= '0' && c <= '9');
            if (i == 0 && c >= '0' && c <= '9') {
                sb.append('_');
            }
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** Parses {@code a="x",b="y"} between from (inclusive) and to (exclusive); null if malformed. */
    private static List<Label> parseLabels(String s, int from, int to) {
        List<Label> out = new ArrayList<>(4);
        int i = from;
        while (i < to) {
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq >= to || eq + 1 >= to || s.charAt(eq + 1) != '"') {
                return null;
            }
            String name = s.substring(i, eq);
            if (!LABEL.matcher(name).matches()) {
                return null;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            boolean closed = false;
            while (j < to) {
                char c = s.charAt(j++);
                if (c == '\\' && j < to) {
                    char e = s.charAt(j++);
                    value.append(e == 'n' ? '\n' : e);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed) {
                return null;
            }
            out.add(new Label(name, value.toString()));
            if (j < to) {
                if (s.charAt(j) != ',') {
                    return null;
                }
                j++;
            }
            i = j;
        }
        return out;
    }
}
