package io.duet.proxy.routing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Virtual host lookup: an exact name, then the longest matching {@code *.} wildcard, then the default host.
 * Hash lookups only (one per label of the host name at most), never a scan of the configured hosts.
 *
 * @param <T> what a host name leads to
 */
public final class HostTable<T> {
    private final Map<String, T> exact;
    private final Map<String, T> wildcard;
    private final T fallback;

    private HostTable(Map<String, T> exact, Map<String, T> wildcard, T fallback) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.fallback = fallback;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * The entry for a Host header value (port and a trailing dot ignored, case-insensitive), or the default, or
     * {@code null}. I/O thread; allocation-free when the host is already lower case and has no port.
     */
    public T lookup(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return fallback;
        }
        String host = normalise(hostHeader);
        T hit = exact.get(host);
        if (hit != null) {
            return hit;
        }
        if (!wildcard.isEmpty()) {
            // Longest suffix first: for a.b.example.com try b.example.com, then example.com, then com.
            for (int dot = host.indexOf('.'); dot >= 0 && dot < host.length() - 1; dot = host.indexOf('.', dot + 1)) {
                hit = wildcard.get(host.substring(dot + 1));
                if (hit != null) {
                    return hit;
                }
            }
        }
        return fallback;
    }

    /** Lower case, without port and without a trailing dot; IPv6 literals keep their brackets. */
    static String normalise(String hostHeader) {
        String h = hostHeader;
        int end = h.length();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            end = close >= 0 ? close + 1 : end;
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        if (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        if (end != h.length()) {
            h = h.substring(0, end);
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return h.toLowerCase(Locale.ROOT);
            }
        }
        return h;
    }

    /** Collects names once per snapshot. */
    public static final class Builder<T> {
        private final Map<String, T> exact = new HashMap<>();
        private final Map<String, T> wildcard = new HashMap<>();
        private T fallback;

        /** Adds {@code name} ({@code example.com} or {@code *.example.com}); the first registration wins. */
        public Builder<T> add(String name, T value) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            if (n.startsWith("*.")) {
                wildcard.putIfAbsent(n.substring(2), value);
            } else {
                exact.putIfAbsent(n, value);
            }
            return this;
        }

        public Builder<T> fallback(T value) {
            if (fallback == null) {
                fallback = value;
            }
            return this;
        }

        public HostTable<T> build() {
            return new HostTable<>(Map.copyOf(exact), Map.copyOf(wildcard), fallback);
        }
    }
}
