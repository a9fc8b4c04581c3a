package io.duet.proxy.forward;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A backend's response head (RFC 9112 section 4-6), parsed strictly enough that a confused or hostile backend cannot
 * desynchronise the connection: a status line {@code HTTP/1.x NNN [reason]}, header fields {@code token ":" OWS
 * value OWS}, no obs-fold, no space before the colon, no control characters in values, one Content-Length value
 * (repeats must agree), and Transfer-Encoding deciding the framing when both are present (the connection is then not
 * reused). Lines may end in CRLF or a bare LF.
 *
 * <p>Parsing happens once the whole head is in the buffer ({@link #end}); a head is parsed from a per-thread copy
 * of its bytes, so the direct I/O buffer is read in one bulk get. I/O thread.
 */
final class ResponseHead {
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1][8192]);
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    int status;
    boolean http11;
    /** -1 when absent. */
    long contentLength;
    boolean chunked;
    /** Transfer-Encoding without chunked last: the body runs to the end of the connection. */
    boolean untilClose;
    /** The server asked to close (Connection: close, HTTP/1.0, or ambiguous framing). */
    boolean close;

    /**
     * The index just after the blank line that ends the head in {@code buf[from, to)}, or -1 when the head is not
     * complete yet.
     */
    static int end(ByteBuffer buf, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return -1;
        }
        byte[] b = scratch(n);
        buf.get(from, b, 0, n); // one bulk copy: scanning a direct buffer byte by byte costs a bounds check each
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                if (i + 1 < n && b[i + 1] == '\n') {
                    return from + i + 2;
                }
                if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return from + i + 3;
                }
            }
        }
        return -1;
    }

    private static byte[] scratch(int n) {
        byte[][] holder = SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new byte[Math.max(n, holder[0].length * 2)];
        }
        return holder[0];
    }

    /**
     * Parses the head in {@code buf[from, end)} and adds its header fields to {@code out} (Content-Length and
     * Transfer-Encoding are kept only as framing: Content-Length is added back when it frames the body).
     *
     * @return {@code null} when the head is valid, else what is wrong with it (for the log)
     */
    String parse(ByteBuffer buf, int from, int end, HeaderMap out) {
        int n = end - from;
        byte[] b = scratch(n);
        buf.get(from, b, 0, n);
        status = 0;
        contentLength = -1;
        chunked = false;
        untilClose = false;
        close = false;

        // Status line.
        if (n < 14 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1'
                || b[6] != '.' || (b[7] != '1' && b[7] != '0') || b[8] != ' ') {
            return "the status line does not start with HTTP/1.x";
        }
        http11 = b[7] == '1';
        int d0 = b[9] - '0';
        int d1 = b[10] - '0';
        int d2 = b[11] - '0';
        if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return "the status code is not three digits 100-599";
        }
        status = d0 * 100 + d1 * 10 + d2;
        int i = 12;
        if (b[i] != ' ' && b[i] != '\r' && b[i] != '\n') {
            return "the status code is not three digits 100-599";
        }
        int lineEnd = lineEnd(b, i, n);
        if (lineEnd < 0) {
            return "a line ends in CR without LF";
        }
        i = next(b, lineEnd);
        boolean sawTransferEncoding = false;
        boolean connectionKeepAlive = false;

        // Header fields until the blank line.
        while (i < n && b[i] != '\r' && b[i] != '\n') {
            if (b[i] == ' ' || b[i] == '\t') {
                return "obsolete line folding in a header field";
            }
            int nameStart = i;
            while (i < n && TOKEN[b[i] & 0xff]) {
                i++;
            }
            if (i == nameStart || i >= n || b[i] != ':') {
                return "a header field name is not a token followed by ':'";
            }
            int nameEnd = i++;
            while (i < n && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            int valueStart = i;
            lineEnd = lineEnd(b, i, n);
            if (lineEnd < 0) {
                return "a line ends in CR without LF";
            }
            int valueEnd = lineEnd;
            for (int k = valueStart; k < valueEnd; k++) {
                int c = b[k] & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return "a control character in a header value";
                }
            }
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            i = next(b, lineEnd);
            int nameLen = nameEnd - nameStart;
            if (equalsIgnoreCase(b, nameStart, nameLen, "content-length")) {
                String err = contentLength(b, valueStart, valueEnd);
                if (err != null) {
                    return err;
                }
                continue;
            }
            if (equalsIgnoreCase(b, nameStart, nameLen, "transfer-encoding")) {
                sawTransferEncoding = true;
                // The last coding decides; anything but chunked last means the body runs to close.
                chunked = lastTokenIs(b, valueStart, valueEnd, "chunked");
                untilClose = !chunked;
                continue;
            }
            String value = new String(b, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
            if (equalsIgnoreCase(b, nameStart, nameLen, "connection")) {
                if (hasToken(value, "close")) {
                    close = true;
                }
                if (hasToken(value, "keep-alive")) {
                    connectionKeepAlive = true;
                }
            }
            out.add(name(b, nameStart, nameLen), value);
        }
        if (sawTransferEncoding) {
            if (contentLength >= 0) {
                close = true; // RFC 9112 6.3: Transfer-Encoding wins, and the connection must not be reused
            }
            contentLength = -1;
        } else if (contentLength >= 0) {
            out.put(Headers.CONTENT_LENGTH, contentLength);
        }
        if (!http11 && !connectionKeepAlive) {
            close = true;
        }
        if (untilClose) {
            close = true;
        }
        return null;
    }

    /** True when the response to this request carries no body whatever its headers say. */
    boolean noBody(boolean headRequest) {
        return headRequest || status == 204 || status == 304 || status < 200;
    }

    /** True when the body is delimited by the end of the connection. */
    boolean bodyUntilClose() {
        return !chunked && contentLength < 0;
    }

    private String contentLength(byte[] b, int from, int to) {
        long value = -1;
        int i = from;
        while (i <= to) {
            // A list of identical values is allowed (RFC 9110 8.6); any difference is an error.
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            long v = 0;
            int digits = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                if (digits++ > 17) {
                    return "Content-Length is too large";
                }
                v = v * 10 + (b[i++] - '0');
            }
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (digits == 0 || (i < to && b[i] != ',')) {
                return "Content-Length is not a number";
            }
            if (value >= 0 && v != value) {
                return "Content-Length has different values";
            }
            value = v;
            i++;
        }
        if (contentLength >= 0 && contentLength != value) {
            return "Content-Length has different values";
        }
        contentLength = value;
        return null;
    }

    private static boolean lastTokenIs(byte[] b, int from, int to, String token) {
        int end = to;
        while (end > from && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        int start = end;
        while (start > from && b[start - 1] != ',' && b[start - 1] != ' ' && b[start - 1] != '\t') {
            start--;
        }
        return equalsIgnoreCase(b, start, end - start, token);
    }

    private static boolean hasToken(String value, String token) {
        int start = 0;
        for (int j = 0; j <= value.length(); j++) {
            if (j == value.length() || value.charAt(j) == ',') {
                if (value.substring(start, j).trim().equalsIgnoreCase(token)) {
                    return true;
                }
                start = j + 1;
            }
        }
        return false;
    }

    /** The index of the line terminator (CR of CRLF, or a bare LF) at or after {@code i}; -1 for a bare CR. */
    private static int lineEnd(byte[] b, int i, int n) {
        for (; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
            if (b[i] == '\r') {
                return i + 1 < n && b[i + 1] == '\n' ? i : -1;
            }
        }
        return n;
    }

    private static int next(byte[] b, int lineEnd) {
        return b[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private static boolean equalsIgnoreCase(byte[] b, int from, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            int c = b[from + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Common response header names map to Undertow's constants (no allocation); others get a new HttpString. */
    private static HttpString name(byte[] b, int from, int len) {
        HttpString known = KnownNames.lookup(b, from, len);
        return known != null ? known : new HttpString(b, from, len);
    }

    /** A tiny open-addressing table of the response header names backends send most. */
    private static final class KnownNames {
        private static final HttpString[] TABLE = new HttpString[256];

        static {
            for (HttpString h : new HttpString[]{Headers.CONTENT_TYPE, Headers.DATE, Headers.SERVER,
                    Headers.LAST_MODIFIED, Headers.ETAG, Headers.ACCEPT_RANGES, Headers.CACHE_CONTROL, Headers.EXPIRES,
                    Headers.SET_COOKIE, Headers.LOCATION, Headers.VARY, Headers.CONTENT_ENCODING, Headers.CONNECTION,
                    Headers.KEEP_ALIVE, Headers.CONTENT_LANGUAGE, Headers.CONTENT_DISPOSITION, Headers.AGE,
                    Headers.PRAGMA, Headers.WWW_AUTHENTICATE, Headers.UPGRADE, Headers.X_FRAME_OPTIONS,
                    Headers.STRICT_TRANSPORT_SECURITY, Headers.CONTENT_SECURITY_POLICY, Headers.ALLOW,
                    Headers.CONTENT_RANGE, new HttpString("Link"), Headers.SEC_WEB_SOCKET_ACCEPT,
                    Headers.SEC_WEB_SOCKET_PROTOCOL, Headers.SEC_WEB_SOCKET_EXTENSIONS, Headers.TRAILER,
                    new HttpString("X-Request-Id"), new HttpString("X-Content-Type-Options"),
                    new HttpString("Access-Control-Allow-Origin"), new HttpString("Via")}) {
                byte[] bytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
                int slot = hash(bytes, 0, bytes.length);
                while (TABLE[slot] != null) {
                    slot = (slot + 1) & 255;
                }
                TABLE[slot] = h;
            }
        }

        static int hash(byte[] b, int from, int len) {
            int h = len;
            for (int k = 0; k < len; k++) {
                h = h * 31 + (b[from + k] | 0x20);
            }
            return (h ^ (h >>> 8) ^ (h >>> 16)) & 255;
        }

        static HttpString lookup(byte[] b, int from, int len) {
            int slot = hash(b, from, len);
            HttpString h;
            while ((h = TABLE[slot]) != null) {
                if (h.length() == len && matches(h, b, from, len)) {
                    return h;
                }
                slot = (slot + 1) & 255;
            }
            return null;
        }

        private static boolean matches(HttpString h, byte[] b, int from, int len) {
            for (int k = 0; k < len; k++) {
                int c = b[from + k];
                int d = h.byteAt(k);
                if (c != d && (c | 0x20) != (d | 0x20)) {
                    return false;
                }
            }
            return true;
        }
    }
}
