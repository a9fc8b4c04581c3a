package io.duet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One run of {@link ConfigValidator}: collects the violations the rule sets find, in document order, and holds the
 * field checks every rule set shares (names, addresses, CIDR blocks, paths, regexes, media types, ranges).
 *
 * <p>Not thread-safe: one instance per {@link ConfigValidator#validate} call.
 */
final class ValidationRun {
    static final long ONE_DAY_MS = 24L * 60 * 60 * 1000;
    static final long ONE_TIB = 1L << 40;
    static final int ONE_MIB = 1 << 20;

    private final List<Violation> violations = new ArrayList<>();

    void add(Violation v) {
        violations.add(v);
    }

    /** Every violation added so far, in the order it was found. */
    List<Violation> violations() {
        return violations;
    }

    /** A non-blank name without control characters, unique in {@code seen} (name -> path of its first use). */
    void uniqueName(String p, String name, Map<String, String> seen, String what) {
        if (name == null || name.isBlank()) {
            add(ConfigMessage.MISSING.at(p + ".name", "name", "a non-blank name"));
            return;
        }
        if (hasControl(name)) {
            add(ConfigMessage.CONTROL_CHARACTER.at(p + ".name", "name"));
        }
        String first = seen.putIfAbsent(name, p);
        if (first != null) {
            add(ConfigMessage.DUPLICATE_NAME.at(p + ".name", "name", name, first, what));
        }
    }

    /** An IP address or a host name; true when it is one. */
    boolean address(String p, String field, String value) {
        if (value == null || value.isBlank()) {
            add(ConfigMessage.MISSING.at(p, field, "an IP address or a host name"));
            return false;
        }
        if (!HostName.isAddress(value)) {
            add(ConfigMessage.INVALID_ADDRESS.at(p, field, value));
            return false;
        }
        return true;
    }

    /** Every element an IP address or a CIDR block. */
    void cidrs(String p, String field, List<String> list) {
        for (int i = 0; i < list.size(); i++) {
            String v = list.get(i);
            String ep = p + "[" + i + "]";
            if (v == null) {
                add(ConfigMessage.NULL_ELEMENT.at(ep, field + "[" + i + "]", "an IP address or CIDR block"));
            } else if (CidrBlock.parse(v).isEmpty()) {
                add(ConfigMessage.INVALID_CIDR.at(ep, field + "[" + i + "]", v));
            }
        }
    }

    void absolutePath(String p, String field, String path) {
        if (!path.startsWith("/")) {
            add(ConfigMessage.PATH_NOT_ABSOLUTE.at(p, field, path));
        } else if (hasControl(path)) {
            add(ConfigMessage.CONTROL_CHARACTER.at(p, field));
        }
    }

    /** A Java regex that compiles. */
    void regex(String p, String field, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            add(ConfigMessage.INVALID_REGEX.at(p, field, regex, e.getDescription() + " near index " + e.getIndex()));
        }
    }

    /** Every element a media type {@code type/subtype} without parameters. */
    void mediaTypes(String p, String field, List<String> list) {
        for (int i = 0; i < list.size(); i++) {
            String t = list.get(i);
            String tp = p + "[" + i + "]";
            if (t == null) {
                add(ConfigMessage.NULL_ELEMENT.at(tp, field + "[" + i + "]", "a media type such as application/json"));
                continue;
            }
            int slash = t.indexOf('/');
            if (slash < 0 || !isToken(t.substring(0, slash)) || !isToken(t.substring(slash + 1))) {
                add(ConfigMessage.INVALID_MEDIA_TYPE.at(tp, field + "[" + i + "]", t));
            }
        }
    }

    /** 1 ms to 1 day. */
    void timeout(String p, String field, long value) {
        range(p, field, value, 1, ONE_DAY_MS, "1-86400000 ms (1 day)");
    }

    void range(String p, String field, long value, long min, long max, String expected) {
        if (value < min || value > max) {
            add(ConfigMessage.OUT_OF_RANGE.at(p, field, value, expected));
        }
    }

    /** An RFC 9110 token (header names, methods). */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} holds CR, LF or NUL; false for null. */
    static boolean hasControl(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }
}
