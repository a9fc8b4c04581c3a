package io.duet.proxy.response;

import io.undertow.util.HeaderValues;

/**
 * Reads q-values (RFC 9110 section 12.4.2) from Accept and Accept-Encoding header values without building lists.
 * Stateless; any thread.
 */
public final class QualityValues {

    private QualityValues() {
    }

    /**
     * The quality a set of Accept-Encoding values gives to {@code coding} (lower case): its own entry, else the
     * {@code *} entry, else 0. {@code x-gzip} counts as {@code gzip}.
     */
    public static double encodingQuality(HeaderValues values, String coding) {
        if (values == null) {
            return 0;
        }
        double explicit = -1;
        double wildcard = -1;
        for (int v = 0; v < values.size(); v++) {
            String header = values.get(v);
            int start = 0;
            while (start < header.length()) {
                int end = elementEnd(header, start);
                int semi = indexOf(header, ';', start, end);
                String token = header.substring(start, semi < 0 ? end : semi).trim().toLowerCase(java.util.Locale.ROOT);
                double q = semi < 0 ? 1 : qParam(header, semi, end);
                if (token.equals(coding) || ("x-" + coding).equals(token)) {
                    explicit = Math.max(explicit, q);
                } else if (token.equals("*")) {
                    wildcard = Math.max(wildcard, q);
                }
                start = end + 1;
            }
        }
        return explicit >= 0 ? explicit : Math.max(wildcard, 0);
    }

    /**
     * The quality a set of Accept values gives to the media type {@code type}/{@code subtype} (lower case), taken
     * from the most specific matching range ({@code type/subtype} over {@code type/*} over {@code * / *}); 0 when
     * nothing matches. No Accept header at all means {@code * / *}.
     */
    public static double mediaQuality(HeaderValues values, String type, String subtype) {
        if (values == null || values.isEmpty()) {
            return 1;
        }
        int bestSpecificity = -1;
        double best = 0;
        for (int v = 0; v < values.size(); v++) {
            String header = values.get(v);
            int start = 0;
            while (start < header.length()) {
                int end = elementEnd(header, start);
                int semi = indexOf(header, ';', start, end);
                String range = header.substring(start, semi < 0 ? end : semi).trim().toLowerCase(java.util.Locale.ROOT);
                int slash = range.indexOf('/');
                if (slash > 0) {
                    String rangeType = range.substring(0, slash);
                    String rangeSubtype = range.substring(slash + 1);
                    int specificity = -1;
                    if (rangeType.equals(type) && rangeSubtype.equals(subtype)) {
                        specificity = 2;
                    } else if (rangeType.equals(type) && rangeSubtype.equals("*")) {
                        specificity = 1;
                    } else if (rangeType.equals("*") && rangeSubtype.equals("*")) {
                        specificity = 0;
                    }
                    if (specificity > bestSpecificity) {
                        bestSpecificity = specificity;
                        best = semi < 0 ? 1 : qParam(header, semi, end);
                    }
                }
                start = end + 1;
            }
        }
        return best;
    }

    private static int elementEnd(String header, int start) {
        int comma = header.indexOf(',', start);
        return comma < 0 ? header.length() : comma;
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The q parameter among the parameters in {@code header[from, to)}; 1 when absent, 0 when malformed. */
    private static double qParam(String header, int from, int to) {
        int i = from;
        while (i < to) {
            int next = indexOf(header, ';', i + 1, to);
            int paramEnd = next < 0 ? to : next;
            String param = header.substring(i + 1, paramEnd).trim();
            if (param.length() >= 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q')) {
                String rest = param.substring(1).trim();
                if (rest.startsWith("=")) {
                    try {
                        double q = Double.parseDouble(rest.substring(1).trim());
                        return q >= 0 && q <= 1 ? q : 0;
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
            i = paramEnd;
        }
        return 1;
    }
}
