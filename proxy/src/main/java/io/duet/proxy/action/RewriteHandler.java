package io.duet.proxy.action;

import io.duet.config.Rewrite;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.nio.charset.StandardCharsets;

/**
 * Replaces a path prefix before forwarding, keeping the query string. The prefix applies when the path equals it or
 * continues it at a segment boundary ({@code /api} rewrites {@code /api} and {@code /api/x}, not {@code /apix}); a
 * prefix ending in {@code /} applies to anything below it. Otherwise the request passes unchanged. The result
 * always begins with {@code /} and never gains a doubled slash at the join.
 *
 * <p>How the new path reaches the backend: Duet's forwarder (ForwardState) builds the backend request line from
 * {@link HttpServerExchange#getRequestURI()} plus {@code ?} and the raw query
 * string. So this handler rewrites the raw, still percent-encoded request URI: the part after the prefix is kept
 * byte for byte as the client (or the edge canonicaliser) encoded it, and the replacement is percent-encoded once
 * at compile time. It also sets the decoded request and relative paths to the new path and clears the resolved
 * path, so nothing downstream strips a part of it again. An absolute-form request URI becomes origin-form.
 * An encoded slash ({@code %2F}) never matches a {@code /} of the prefix: it is not a path separator.
 *
 * <p>Threads: I/O thread; never blocks. Immutable.
 */
public final class RewriteHandler implements HttpHandler {

    private final String prefix;
    private final byte[] prefixBytes;
    private final boolean prefixEndsWithSlash;
    private final String replacement;
    private final String encodedReplacement;
    private final HttpHandler next;

    public RewriteHandler(Rewrite rewrite, HttpHandler next) {
        if (rewrite.prefix() == null || !rewrite.prefix().startsWith("/")) {
            throw new IllegalArgumentException("rewrite.prefix: '" + rewrite.prefix() + "' (expected: a path starting with /)");
        }
        this.prefix = rewrite.prefix();
        this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        this.prefixEndsWithSlash = prefix.endsWith("/");
        this.replacement = rewrite.replacement();
        this.encodedReplacement = encodePath(replacement);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        apply(exchange);
        next.handleRequest(exchange);
    }

    /** Rewrites the exchange's path in place; returns false (and changes nothing) when the prefix does not apply. */
    boolean apply(HttpServerExchange exchange) {
        String rawPath = RedirectHandler.rawPath(exchange);
        int cut = matchRaw(rawPath);
        String decodedPath = exchange.getRequestPath();
        if (cut < 0 || !decodedPath.startsWith(prefix)) {
            return false;
        }
        String newRaw = join(encodedReplacement, rawPath.substring(cut));
        String newDecoded = join(replacement, decodedPath.substring(prefix.length()));
        exchange.setRequestURI(newRaw, false);
        exchange.setRequestPath(newDecoded);
        exchange.setRelativePath(newDecoded);
        exchange.setResolvedPath("");
        return true;
    }

    /**
     * Where the prefix ends in the raw (percent-encoded) path, or -1 when the path does not begin with the prefix at
     * a segment boundary. Compares UTF-8 bytes, decoding {@code %XX} escapes on the way.
     */
    int matchRaw(String raw) {
        int i = 0;
        for (byte expected : prefixBytes) {
            if (i >= raw.length()) {
                return -1;
            }
            char c = raw.charAt(i);
            int actual;
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                actual = hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2));
                if (actual == '/') {
                    return -1;
                }
                i += 3;
            } else if (c < 0x80) {
                actual = c;
                i++;
            } else {
                return -1;
            }
            if ((byte) actual != expected) {
                return -1;
            }
        }
        if (prefixEndsWithSlash || i == raw.length() || raw.charAt(i) == '/') {
            return i;
        }
        return -1;
    }

    private String join(String head, String rest) {
        String joined;
        if (rest.isEmpty()) {
            joined = head;
        } else if (head.isEmpty()) {
            joined = rest;
        } else {
            boolean headSlash = head.endsWith("/");
            boolean restSlash = rest.startsWith("/");
            if (headSlash && restSlash) {
                joined = head + rest.substring(1);
            } else if (!headSlash && !restSlash && prefixEndsWithSlash) {
                joined = head + "/" + rest;
            } else {
                joined = head + rest;
            }
        }
        return joined.startsWith("/") ? joined : "/" + joined;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Percent-encodes a decoded path: RFC 3986 pchar and {@code /} stay, everything else becomes UTF-8 escapes. */
    static String encodePath(String decoded) {
        StringBuilder b = new StringBuilder(decoded.length() + 8);
        for (byte by : decoded.getBytes(StandardCharsets.UTF_8)) {
            int c = by & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
            if (keep) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
