package io.duet.proxy.edge;

import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Path canonicalisation, done once by the edge before routing. The rules (compare NGINX's normalisation with
 * {@code merge_slashes on}; RFC 3986 6.2.2):
 * <ol>
 *   <li>Percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded; every other
 *       escape is kept, with upper-case hex. A malformed escape ({@code %4}, {@code %zz}) is rejected.</li>
 *   <li>An encoded slash ({@code %2F}), an encoded backslash ({@code %5C}) and an encoded NUL ({@code %00})
 *       are rejected: a backend that decodes them would see a different path than the router did.</li>
 *   <li>A raw backslash is rejected rather than mapped to {@code /}: some backends treat it as a separator,
 *       some do not, so no single reading is safe.</li>
 *   <li>Runs of slashes become one slash.</li>
 *   <li>{@code .} and {@code ..} segments (after decoding, so {@code %2e%2e} too) are resolved; a path that
 *       climbs above the root ({@code /../x}) is rejected. A segment that is {@code .} or {@code ..} followed
 *       by {@code ;params} ({@code ..;}) is rejected: servlet containers resolve it as a dot segment.</li>
 *   <li>Bytes outside printable ASCII are percent-encoded.</li>
 * </ol>
 * The canonical form keeps escapes (it is what is forwarded); {@link #canonicalPath} gives the decoded form
 * the router matches against. Pure functions; thread-safe.
 */
public final class CanonicalPath {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CanonicalPath() {
    }

    /**
     * The canonical, decoded request path of an exchange that passed the edge: what routing and every rule
     * must match against, kept in the request's context. Equals {@code exchange.getRequestPath()} after the edge;
     * the query string is not part of it. Any thread.
     */
    public static String canonicalPath(HttpServerExchange exchange) {
        RequestContext ctx = RequestContext.peek(exchange);
        String p = ctx == null ? null : ctx.canonicalPath();
        return p != null ? p : exchange.getRequestPath();
    }

    /** Thrown for a path the edge refuses (400). */
    static final class BadPathException extends Exception {
        BadPathException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Canonicalises a raw origin-form path (no query). Chars are bytes (ISO-8859-1), as Undertow reads them.
     *
     * @return the canonical path, still percent-encoded where needed
     */
    static String canonicalize(String raw) throws BadPathException {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new BadPathException("path must start with /");
        }
        if (alreadyCanonical(raw)) {
            return raw; // the common case: nothing to decode, merge or resolve, and nothing allocated
        }
        // Pass 1: decode unreserved escapes, normalise the others, reject dangerous ones.
        StringBuilder norm = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new BadPathException("truncated percent escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadPathException("malformed percent escape");
                }
                int v = hi * 16 + lo;
                i += 2;
                if (v == '/' || v == '\\' || v == 0) {
                    throw new BadPathException("encoded slash, backslash or NUL");
                }
                if (isUnreserved(v)) {
                    norm.append((char) v);
                } else {
                    norm.append('%').append(HEX[v >> 4]).append(HEX[v & 15]);
                }
            } else if (c == '\\') {
                throw new BadPathException("backslash");
            } else if (c <= 0x20 || c >= 0x7f) {
                if (c > 0xff || c < 0x20 || c == 0x7f) {
                    throw new BadPathException("control character");
                }
                norm.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            } else {
                norm.append(c);
            }
        }
        // Pass 2: merge slashes and resolve dot segments.
        String s = norm.toString();
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        int[] starts = new int[n / 2 + 2];
        int depth = 0;
        int i = 0;
        while (i < n) {
            // s.charAt(i) == '/'
            int j = i + 1;
            while (j < n && s.charAt(j) == '/') {
                j++;
            }
            int end = s.indexOf('/', j);
            if (end < 0) {
                end = n;
            }
            boolean last = end == n;
            String seg = s.substring(j, end);
            int semi = seg.indexOf(';');
            String bare = semi < 0 ? seg : seg.substring(0, semi);
            if (bare.equals(".") || bare.equals("..")) {
                if (semi >= 0) {
                    throw new BadPathException("dot segment with parameters");
                }
                if (bare.equals("..")) {
                    if (depth == 0) {
                        throw new BadPathException("path climbs above the root");
                    }
                    depth--;
                    out.setLength(starts[depth]);
                }
                if (last) {
                    out.append('/');
                }
            } else if (seg.isEmpty()) {
                // trailing slash (or slashes) of the path
                out.append('/');
            } else {
                starts[depth++] = out.length();
                out.append('/').append(seg);
            }
            i = end;
        }
        if (out.length() == 0) {
            out.append('/');
        }
        return out.toString();
    }

    /** Decodes a canonical path (escapes are UTF-8). */
    /**
     * True when both passes below would return {@code raw} unchanged: printable ASCII only, no escape, no backslash,
     * no empty segment and no segment starting with a dot (conservative: {@code /.well-known} takes the full path).
     */
    private static boolean alreadyCanonical(String raw) {
        char prev = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '\\' || (prev == '/' && (c == '/' || c == '.'))) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    static String decode(String canonical) throws BadPathException {
        if (canonical.indexOf('%') < 0) {
            return canonical;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(canonical.length());
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c == '%') {
                bytes.write(Character.digit(canonical.charAt(i + 1), 16) * 16 + Character.digit(canonical.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new BadPathException("escapes are not UTF-8");
        }
    }

    private static boolean isUnreserved(int v) {
        return (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') || (v >= '0' && v <= '9')
                || v == '-' || v == '.' || v == '_' || v == '~';
    }
}
