package io.duet.proxy.ratelimit;

import io.duet.config.RateLimit;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a rate limit's key from a request as a 64-bit hash, without building the key's text: the real client
 * address, the route, the first value of a header, a cookie or a query parameter, or several of them. The text
 * ({@link #label}) is made only for a key being limited, for the top keys; a header, cookie or query value shows
 * as a short hash of it, never as itself (it may be an API key).
 *
 * <p>Immutable; I/O threads; never blocks. {@link #hash} allocates nothing for an IPv4 client, a header or a route
 * (16 bytes for an IPv6 client).
 */
final class RequestKeys {
    /** No key: a part the request does not carry, with {@code missingKey: skip}. */
    static final long NONE = 0;

    private static final int CLIENT = 0;
    private static final int ROUTE = 1;
    private static final int HEADER = 2;
    private static final int COOKIE = 3;
    private static final int QUERY = 4;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long ABSENT = 0x9e3779b97f4a7c15L;

    private final int[] kinds;
    private final String[] names;
    private final HttpString[] headers;
    private final boolean shared;
    private final ClientAddress clients;

    RequestKeys(List<String> parts, boolean sharedWhenMissing, ClientAddress clients) {
        kinds = new int[parts.size()];
        names = new String[parts.size()];
        headers = new HttpString[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            int colon = p.indexOf(':');
            String kind = colon < 0 ? p : p.substring(0, colon);
            names[i] = colon < 0 ? null : p.substring(colon + 1);
            kinds[i] = switch (kind) {
                case RateLimit.CLIENT -> CLIENT;
                case RateLimit.ROUTE -> ROUTE;
                case RateLimit.HEADER -> HEADER;
                case RateLimit.COOKIE -> COOKIE;
                case RateLimit.QUERY -> QUERY;
                default -> throw new IllegalArgumentException("unknown rate limit key part '" + p + "'");
            };
            if (kinds[i] == HEADER) {
                headers[i] = HttpString.tryFromString(names[i]);
            }
        }
        shared = sharedWhenMissing;
        this.clients = clients;
    }

    /**
     * The key's hash (never {@link #NONE}), or {@link #NONE} when a named part is absent and such requests are not
     * counted. I/O thread.
     *
     * @param route the route's name ({@code vhost/route}), or null on a listener
     */
    long hash(HttpServerExchange exchange, String route) {
        long h = FNV_OFFSET;
        for (int i = 0; i < kinds.length; i++) {
            h = (h ^ (i + 1)) * FNV_PRIME;
            switch (kinds[i]) {
                case CLIENT -> h = client(h, clients.of(exchange));
                case ROUTE -> h = chars(h, route);
                default -> {
                    String v = value(exchange, i);
                    if (v == null) {
                        if (!shared) {
                            return NONE;
                        }
                        h = (h ^ ABSENT) * FNV_PRIME;
                    } else {
                        h = chars(h, v);
                    }
                }
            }
        }
        h = mix(h);
        return h == NONE ? 1 : h;
    }

    /**
     * The key as an operator may read it: the client address and route as they are, every other part as
     * {@code header:NAME=#1a2b3c4d} (the first 32 bits of the value's SHA-256). I/O thread; only for a key being
     * limited.
     */
    String label(HttpServerExchange exchange, String route) {
        StringBuilder b = new StringBuilder(48);
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            switch (kinds[i]) {
                case CLIENT -> {
                    InetAddress a = clients.of(exchange);
                    b.append(a == null ? "unknown" : a.getHostAddress());
                }
                case ROUTE -> b.append(route);
                default -> {
                    String v = value(exchange, i);
                    b.append(kinds[i] == HEADER ? "header:" : kinds[i] == COOKIE ? "cookie:" : "query:")
                            .append(names[i]).append('=').append(v == null ? "(absent)" : "#" + shortHash(v));
                }
            }
        }
        return b.toString();
    }

    private String value(HttpServerExchange exchange, int i) {
        return switch (kinds[i]) {
            case HEADER -> exchange.getRequestHeaders().getFirst(headers[i]);
            case COOKIE -> cookie(exchange, names[i]);
            default -> {
                Deque<String> values = exchange.getQueryParameters().get(names[i]);
                yield values == null ? null : values.peekFirst();
            }
        };
    }

    /** The first value of cookie {@code name} in the request's Cookie headers, or null. */
    static String cookie(HttpServerExchange exchange, String name) {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.COOKIE);
        if (values == null) {
            return null;
        }
        for (int v = 0; v < values.size(); v++) {
            String line = values.get(v);
            int at = 0;
            int n = line.length();
            while (at < n) {
                while (at < n && (line.charAt(at) == ' ' || line.charAt(at) == ';')) {
                    at++;
                }
                int end = line.indexOf(';', at);
                if (end < 0) {
                    end = n;
                }
                int eq = line.indexOf('=', at);
                if (eq > at && eq < end && eq - at == name.length() && line.regionMatches(at, name, 0, eq - at)) {
                    int from = eq + 1;
                    int to = end;
                    while (to > from && line.charAt(to - 1) == ' ') {
                        to--;
                    }
                    if (to - from >= 2 && line.charAt(from) == '"' && line.charAt(to - 1) == '"') {
                        from++;
                        to--;
                    }
                    return line.substring(from, to);
                }
                at = end + 1;
            }
        }
        return null;
    }

    private static long client(long h, InetAddress a) {
        if (a == null) {
            return (h ^ ABSENT) * FNV_PRIME;
        }
        if (a instanceof Inet4Address) {
            return (h ^ (a.hashCode() & 0xffffffffL)) * FNV_PRIME; // an IPv4 address's hash code is the address
        }
        for (byte x : a.getAddress()) {
            h = (h ^ (x & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    private static long chars(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return (h ^ 0xff) * FNV_PRIME;
    }

    /** MurmurHash3's finaliser: spreads FNV's low bits, which pick the slot. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static String shortHash(String v) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
