package io.duet.proxy.action;

import io.duet.config.HeaderRule;
import io.duet.config.HopByHopHeaders;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A compiled, ordered list of header rules ({@code set} replaces every value, {@code add} appends one,
 * {@code remove} deletes the header). Header names are turned into {@link HttpString}s once.
 *
 * <p>Threads: any; immutable; {@link #apply} never blocks.
 */
final class HeaderRules {

    /** Headers a rule may not touch (lower case): the hop-by-hop headers and the framing of the message. */
    static final Set<String> FORBIDDEN = Stream.concat(HopByHopHeaders.LOWER_CASE.stream(), Stream.of("content-length"))
            .collect(Collectors.toUnmodifiableSet());

    private enum Op { SET, ADD, REMOVE }

    private record Compiled(Op op, HttpString name, String value) {
    }

    private final Compiled[] rules;

    HeaderRules(List<HeaderRule> rules, String where) {
        this.rules = new Compiled[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            HeaderRule rule = rules.get(i);
            String path = where + "[" + i + "]";
            if (rule.name() == null || rule.name().isEmpty() || !isToken(rule.name())) {
                throw new IllegalArgumentException(path + ".name: '" + rule.name() + "' (expected: a header name)");
            }
            if (FORBIDDEN.contains(rule.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(path + ".name: '" + rule.name()
                        + "' (expected: not a hop-by-hop or framing header)");
            }
            Op op = switch (rule.op() == null ? "" : rule.op().toLowerCase(Locale.ROOT)) {
                case "set" -> Op.SET;
                case "add" -> Op.ADD;
                case "remove" -> Op.REMOVE;
                default -> throw new IllegalArgumentException(path + ".op: '" + rule.op()
                        + "' (expected: set, add or remove)");
            };
            String value = rule.value();
            if (op != Op.REMOVE) {
                if (value == null) {
                    throw new IllegalArgumentException(path + ".value: missing (expected: a value for " + rule.op() + ")");
                }
                for (int c = 0; c < value.length(); c++) {
                    char ch = value.charAt(c);
                    if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                        throw new IllegalArgumentException(path + ".value: control character at " + c
                                + " (expected: printable characters only)");
                    }
                }
            }
            this.rules[i] = new Compiled(op, new HttpString(rule.name()), value);
        }
    }

    boolean isEmpty() {
        return rules.length == 0;
    }

    void apply(HeaderMap headers) {
        for (Compiled rule : rules) {
            switch (rule.op) {
                case SET -> headers.put(rule.name, rule.value);
                case ADD -> headers.add(rule.name, rule.value);
                case REMOVE -> headers.remove(rule.name);
            }
        }
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
