package io.duet.proxy.affinity;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * The few cookie operations affinity needs, without Undertow's full cookie parsing (which builds a map of every
 * cookie and fails a request that carries more than 200 of them). Pure; any thread.
 */
public final class Cookies {
    private Cookies() {
    }

    /** The value of the first cookie named {@code name} in the request's Cookie headers, unquoted; or {@code null}. */
    public static String requestValue(HeaderMap headers, String name) {
        HeaderValues values = headers.get(Headers.COOKIE);
        if (values == null) {
            return null;
        }
        for (int v = 0; v < values.size(); v++) {
            String header = values.get(v);
            int i = 0;
            int n = header.length();
            while (i < n) {
                while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';' || header.charAt(i) == '\t')) {
                    i++;
                }
                int end = header.indexOf(';', i);
                if (end < 0) {
                    end = n;
                }
                if (header.startsWith(name, i) && i + name.length() < end && header.charAt(i + name.length()) == '=') {
                    return unquote(header.substring(i + name.length() + 1, end).trim());
                }
                i = end + 1;
            }
        }
        return null;
    }

    /**
     * The value a {@code Set-Cookie} header sets for {@code name}: {@code null} when the header is about another
     * cookie, {@code ""} when it deletes the cookie (empty value or {@code Max-Age} of 0 or less).
     */
    static String setValue(String setCookie, String name) {
        int i = 0;
        while (i < setCookie.length() && setCookie.charAt(i) == ' ') {
            i++;
        }
        if (!setCookie.startsWith(name, i) || setCookie.length() <= i + name.length()
                || setCookie.charAt(i + name.length()) != '=') {
            return null;
        }
        int start = i + name.length() + 1;
        int end = setCookie.indexOf(';', start);
        String value = unquote((end < 0 ? setCookie.substring(start) : setCookie.substring(start, end)).trim());
        if (end >= 0) {
            for (String attr : setCookie.substring(end + 1).split(";")) {
                String a = attr.trim();
                if (a.regionMatches(true, 0, "max-age=", 0, 8)) {
                    try {
                        if (Long.parseLong(a.substring(8).trim()) <= 0) {
                            return "";
                        }
                    } catch (NumberFormatException e) {
                        // A malformed Max-Age is ignored, as browsers do.
                    }
                }
            }
        }
        return value;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
    }
}
