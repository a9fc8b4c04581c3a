package io.duet.proxy.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict line validator of the Prometheus text format 0.0.4, for tests (no Java parser of the format is published
 * as a library). Checks the grammar of every line, that each family has at most one HELP and one TYPE, given before
 * its samples, that the samples of a family are contiguous and belong to it (summary: the family itself with a
 * {@code quantile} label, {@code _sum}, {@code _count}), that no sample repeats, and that the text ends with a line
 * feed. Returns every sample as "name{labels}" to its value.
 */
final class PrometheusTextValidator {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL_VALUE = "\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String LABELS = "\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE
            + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE + ")*)?\\}";
    private static final String VALUE = "(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]Inf|NaN)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(" + LABELS + ")? (" + VALUE + ")(?: -?[0-9]+)?");

    private PrometheusTextValidator() {
    }

    static Map<String, String> validate(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a line feed");
        }
        Map<String, String> samples = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> typed = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String family = null;
        String type = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() && n == text.split("\n", -1).length) {
                break;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) {
                    throw new AssertionError("line " + n + ": second HELP for " + m.group(1));
                }
                switchFamily(m.group(1), family, closedFamilies, n);
                family = m.group(1);
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (!typed.add(m.group(1))) {
                    throw new AssertionError("line " + n + ": second TYPE for " + m.group(1));
                }
                if (!m.group(1).equals(family)) {
                    switchFamily(m.group(1), family, closedFamilies, n);
                }
                family = m.group(1);
                type = m.group(2);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String labels = m.group(2) == null ? "" : m.group(2);
                boolean belongs = family != null && (name.equals(family)
                        || ("summary".equals(type) || "histogram".equals(type))
                        && (name.equals(family + "_sum") || name.equals(family + "_count")
                        || "histogram".equals(type) && name.equals(family + "_bucket")));
                if (!belongs) {
                    throw new AssertionError("line " + n + ": sample " + name + " outside its family (current "
                            + family + "): " + line);
                }
                if ("summary".equals(type) && name.equals(family) && !labels.contains("quantile=\"")) {
                    throw new AssertionError("line " + n + ": summary sample without quantile: " + line);
                }
                if (samples.put(name + labels, m.group(3)) != null) {
                    throw new AssertionError("line " + n + ": duplicate sample " + name + labels);
                }
            } else {
                throw new AssertionError("line " + n + ": not valid 0.0.4 text: [" + line + "]");
            }
        }
        return samples;
    }

    private static void switchFamily(String next, String current, Set<String> closed, int n) {
        if (current != null) {
            closed.add(current);
        }
        if (closed.contains(next)) {
            throw new AssertionError("line " + n + ": family " + next + " appears twice");
        }
    }
}
