package io.duet.proxy.edge;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

/**
 * The rules of RFC 9113 section 8 for the header section of an HTTP/2 request, checked on the fields exactly as the
 * client sent them (after HPACK, before anything is rewritten or forwarded). A request that breaks one is malformed:
 * the caller resets its stream with PROTOCOL_ERROR and nothing of it reaches a server. Because the request continues
 * as HTTP/1.1 towards the server, a field value may hold no control character at all (HTTP/1.1's own rule), not only
 * the NUL, CR and LF that RFC 9113 names: a CR LF in an HTTP/2 value would otherwise become a second header line.
 *
 * <p>Some rules are Undertow's parser's already (pseudo-header order, {@code transfer-encoding}, an empty name); they
 * end the connection there, which RFC 9113 5.4.1 allows. Checked again here, so the rule holds whatever the parser
 * underneath lets through. Body rules (content-length against END_STREAM and the DATA received) are checked where the
 * body is known.
 *
 * <p>Pure and thread-safe; called on the connection's I/O thread for every new request stream; allocates nothing on
 * the way to "no violation".
 */
final class Http2RequestRules {
    static final HttpString METHOD = new HttpString(":method");
    static final HttpString SCHEME = new HttpString(":scheme");
    static final HttpString PATH = new HttpString(":path");
    static final HttpString AUTHORITY = new HttpString(":authority");
    static final HttpString HOST = new HttpString("host");

    private Http2RequestRules() {
    }

    /** What makes the request malformed, in a few words for the log; null when it is well-formed. */
    static String violation(HeaderMap headers) {
        for (HeaderValues field : headers) {
            HttpString name = field.getHeaderName();
            String problem = name.length() > 0 && name.byteAt(0) == ':' ? pseudoName(name, field.size())
                    : regularName(name, field);
            if (problem != null) {
                return problem;
            }
            for (int i = 0; i < field.size(); i++) {
                if (!validValue(field.get(i))) {
                    return "field " + printable(name) + ": value with a control character or edge whitespace";
                }
            }
        }
        return pseudoFields(headers);
    }

    private static String pseudoName(HttpString name, int count) {
        if (!name.equals(METHOD) && !name.equals(SCHEME) && !name.equals(PATH) && !name.equals(AUTHORITY)) {
            return "pseudo-header field " + printable(name) + " is not one of a request";
        }
        return count == 1 ? null : "pseudo-header field " + name + " repeated";
    }

    private static String regularName(HttpString name, HeaderValues field) {
        if (name.length() == 0) {
            return "empty field name";
        }
        for (int i = 0; i < name.length(); i++) {
            if (!nameChar(name.byteAt(i))) {
                return "field name " + printable(name) + " with a character other than lowercase token characters";
            }
        }
        if (name.equalToString("connection") || name.equalToString("keep-alive")
                || name.equalToString("proxy-connection") || name.equalToString("transfer-encoding")
                || name.equalToString("upgrade")) {
            return "connection-specific field " + name;
        }
        if (name.equalToString("te")) {
            for (int i = 0; i < field.size(); i++) {
                if (!"trailers".equalsIgnoreCase(field.get(i))) {
                    return "te other than trailers";
                }
            }
        }
        if (name.equalToString("host") && field.size() != 1) {
            return "host repeated";
        }
        if (name.equalToString("content-length")) {
            long first = EdgeHandler.parseLength(field.getFirst());
            for (int i = 0; i < field.size(); i++) {
                long v = EdgeHandler.parseLength(field.get(i));
                if (v < 0 || v != first) {
                    return "content-length invalid or repeated with another value";
                }
            }
        }
        return null;
    }

    /** What makes a request's trailer section malformed; null when it is well-formed. */
    static String trailerViolation(HeaderMap trailers) {
        for (HeaderValues field : trailers) {
            HttpString name = field.getHeaderName();
            if (name.length() > 0 && name.byteAt(0) == ':') {
                return "pseudo-header field " + printable(name) + " in trailers";
            }
            String problem = regularName(name, field);
            if (problem != null) {
                return problem + " in trailers";
            }
            for (int i = 0; i < field.size(); i++) {
                if (!validValue(field.get(i))) {
                    return "trailer " + printable(name) + ": value with a control character or edge whitespace";
                }
            }
        }
        return null;
    }

    /** RFC 9113 8.3.1: which pseudo-header fields a request has, and what they may hold. */
    private static String pseudoFields(HeaderMap headers) {
        String method = headers.getFirst(METHOD);
        if (method == null) {
            return "no :method";
        }
        String authority = headers.getFirst(AUTHORITY);
        if (method.equals("CONNECT")) {
            if (headers.contains(SCHEME) || headers.contains(PATH) || authority == null) {
                return "CONNECT with :scheme or :path, or without :authority";
            }
        } else {
            String path = headers.getFirst(PATH);
            if (headers.getFirst(SCHEME) == null || path == null) {
                return "no :scheme or :path";
            }
            if (path.isEmpty() || (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS")))) {
                return ":path neither origin-form nor * for OPTIONS";
            }
        }
        if (authority != null) {
            if (authority.indexOf('@') >= 0) {
                return ":authority with userinfo";
            }
            String host = headers.getFirst(HOST);
            if (host != null && !host.equalsIgnoreCase(authority)) {
                return "host differs from :authority";
            }
        }
        return null;
    }

    /** tchar of RFC 9110, lowercase only. */
    private static boolean nameChar(byte b) {
        int c = b & 0xff;
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** No control character but HTAB inside, no DEL, no SP or HTAB at either end. */
    static boolean validValue(String v) {
        int n = v.length();
        if (n > 0 && (isWhitespace(v.charAt(0)) || isWhitespace(v.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** A name for a log line: control characters shown as {@code \xNN}, at most 64 characters. */
    private static String printable(HttpString name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 64; i++) {
            int c = name.byteAt(i) & 0xff;
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
