package io.duet.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Address lists ({@code addressLists}), access rules ({@code access} of listeners and routes) and the client-address
 * match of routes ({@code match.sources}). An entry of {@code allow}, {@code deny} or {@code sources} is an IP
 * address, a CIDR block, or the name of an address list; a list name starts with a letter and never holds {@code :}
 * or {@code /}, so what an entry is never depends on which lists exist. A block written with host bits set
 * ({@code 10.1.2.3/8}) is accepted and normalised to its network ({@code 10.0.0.0/8}), with a warning.
 */
final class AccessRules {
    private static final Pattern LIST_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("scheme", "host", "path", "query", "request_uri");
    private static final List<Integer> REDIRECT_STATUSES = List.of(301, 302, 303, 307, 308);

    private AccessRules() {
    }

    /** True when {@code entry} is meant as an address or block (not a list name): it cannot be a list name. */
    static boolean looksLikeAddress(String entry) {
        return !LIST_NAME.matcher(entry).matches() || entry.indexOf(':') >= 0;
    }

    static void document(ValidationRun run, DuetConfig d) {
        Map<String, String> seen = new HashMap<>();
        List<AddressList> lists = d.addressLists();
        for (int i = 0; i < lists.size(); i++) {
            String p = "$.addressLists[" + i + "]";
            AddressList l = lists.get(i);
            if (l == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "addressLists[" + i + "]", "an address list"));
                continue;
            }
            run.uniqueName(p, l.name(), seen, "address list names");
            if (l.name() != null && !l.name().isBlank() && !LIST_NAME.matcher(l.name()).matches()) {
                run.add(ConfigMessage.ADDRESS_LIST_NAME.at(p + ".name", l.name()));
            }
            if (l.addresses().isEmpty()) {
                run.add(ConfigMessage.EMPTY_ADDRESS_LIST.at(p + ".addresses", String.valueOf(l.name())));
            }
            for (int a = 0; a < l.addresses().size(); a++) {
                String ap = p + ".addresses[" + a + "]";
                String v = l.addresses().get(a);
                if (v == null) {
                    run.add(ConfigMessage.NULL_ELEMENT.at(ap, "addresses[" + a + "]", "an IP address or CIDR block"));
                } else {
                    block(run, ap, "addresses[" + a + "]", v);
                }
            }
        }
        Set<String> used = new HashSet<>();
        List<Listener> listeners = d.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            if (l != null && l.access() != null) {
                rule(run, "$.listeners[" + i + "].access", l.access(), seen.keySet(), used);
            }
        }
        List<VirtualHost> hosts = d.virtualHosts();
        for (int h = 0; h < hosts.size(); h++) {
            VirtualHost v = hosts.get(h);
            if (v == null) {
                continue;
            }
            for (int r = 0; r < v.routes().size(); r++) {
                Route route = v.routes().get(r);
                if (route == null) {
                    continue;
                }
                String rp = "$.virtualHosts[" + h + "].routes[" + r + "]";
                if (route.access() != null) {
                    rule(run, rp + ".access", route.access(), seen.keySet(), used);
                }
                if (route.match() != null) {
                    entries(run, rp + ".match.sources", "sources", route.match().sources(), seen.keySet(), used);
                }
            }
        }
        for (int i = 0; i < lists.size(); i++) {
            AddressList l = lists.get(i);
            if (l != null && l.name() != null && !used.contains(l.name())) {
                run.add(ConfigMessage.UNUSED_ADDRESS_LIST.at("$.addressLists[" + i + "]", l.name()));
            }
        }
    }

    private static void rule(ValidationRun run, String p, AccessRule a, Set<String> names, Set<String> used) {
        if (a.allow().isEmpty() && a.deny().isEmpty()) {
            run.add(ConfigMessage.ACCESS_RULE_EMPTY.at(p));
        }
        entries(run, p + ".allow", "allow", a.allow(), names, used);
        entries(run, p + ".deny", "deny", a.deny(), names, used);
        String action = a.action();
        if (!AccessRule.ACTIONS.contains(action)) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".action", "action", action, String.join(", ",
                    AccessRule.ACTIONS)));
            return;
        }
        int status = a.status();
        if (status < 300 || status > 599) {
            run.range(p + ".status", "status", status, 300, 599, "300-599");
        } else if (AccessRule.REDIRECT.equals(action) && !REDIRECT_STATUSES.contains(status)) {
            run.add(ConfigMessage.ACCESS_STATUS.at(p + ".status", status, action,
                    REDIRECT_STATUSES.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        } else if (!AccessRule.REDIRECT.equals(action) && status < 400) {
            run.add(ConfigMessage.ACCESS_STATUS.at(p + ".status", status, action, "400-599"));
        }
        if (a.tarpitMs() != null) {
            if (!AccessRule.TARPIT.equals(action)) {
                run.add(ConfigMessage.ACCESS_ONLY_FOR.at(p + ".tarpitMs", "tarpitMs", action, AccessRule.TARPIT));
            } else {
                run.range(p + ".tarpitMs", "tarpitMs", a.tarpitMs(), 1, AccessRule.MAX_TARPIT_MS, "1-60000 ms");
            }
        }
        if (AccessRule.REDIRECT.equals(action)) {
            location(run, p + ".location", a.location());
        } else if (a.location() != null) {
            run.add(ConfigMessage.ACCESS_ONLY_FOR.at(p + ".location", "location", action, AccessRule.REDIRECT));
        }
    }

    private static void location(ValidationRun run, String p, String location) {
        if (location == null || location.isBlank()) {
            run.add(ConfigMessage.ACCESS_LOCATION_MISSING.at(p));
            return;
        }
        if (ValidationRun.hasControl(location)) {
            run.add(ConfigMessage.CONTROL_CHARACTER.at(p, "location"));
            return;
        }
        Matcher m = PLACEHOLDER.matcher(location);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                run.add(ConfigMessage.INVALID_TOKEN.at(p, "location", m.group(),
                        "only the placeholders {scheme}, {host}, {path}, {query} and {request_uri}"));
                return;
            }
        }
        int open = location.lastIndexOf('{');
        if (open >= 0 && location.indexOf('}', open) < 0) {
            run.add(ConfigMessage.INVALID_TOKEN.at(p, "location", location, "every '{' closed by '}'"));
        }
    }

    /** Each entry an address, a block or a known list's name; the names used go into {@code used}. */
    private static void entries(ValidationRun run, String p, String field, List<String> list, Set<String> names,
                                Set<String> used) {
        for (int i = 0; i < list.size(); i++) {
            String v = list.get(i);
            String ep = p + "[" + i + "]";
            if (v == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(ep, field + "[" + i + "]",
                        "an IP address, a CIDR block or an address list name"));
            } else if (looksLikeAddress(v)) {
                block(run, ep, field + "[" + i + "]", v);
            } else if (names.contains(v)) {
                used.add(v);
            } else {
                String known = names.stream().sorted().collect(Collectors.joining(", "));
                run.add(ConfigMessage.UNKNOWN_ADDRESS_LIST.at(ep, field + "[" + i + "]", v,
                        known.isEmpty() ? "none" : known));
            }
        }
    }

    /** An address or CIDR block (0017), with a warning when host bits are set (0362). */
    private static void block(ValidationRun run, String p, String field, String v) {
        CidrBlock b = CidrBlock.parse(v).orElse(null);
        if (b == null) {
            run.add(ConfigMessage.INVALID_CIDR.at(p, field, v));
            return;
        }
        CidrBlock n = network(b);
        if (!Objects.equals(n.network(), b.network())) {
            run.add(ConfigMessage.CIDR_HOST_BITS.at(p, field, v, n.toString()));
        }
    }

    /** The block with its host bits cleared. */
    static CidrBlock network(CidrBlock b) {
        byte[] a = b.network().getAddress();
        int len = b.prefixLength();
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, len - i * 8));
            a[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new CidrBlock(InetAddress.getByAddress(a), len);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
