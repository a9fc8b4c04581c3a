package io.duet.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The combined line format (NGINX/Apache combined plus a key=value tail); see the package documentation for the
 * exact layout. Not thread-safe: one instance per writer thread (it caches the formatted second).
 */
final class CombinedFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    /** Appends one line, with its terminating line feed, to sb. */
    void append(StringBuilder sb, AccessRecord r) {
        plain(sb, r.clientAddress());
        sb.append(" - - [").append(time(r.epochMillis())).append("] \"");
        if (r.method() == null) {
            sb.append('-');
        } else {
            quoted(sb, r.method());
            sb.append(' ');
            quoted(sb, r.uri());
            sb.append(' ');
            quoted(sb, r.protocol());
        }
        sb.append("\" ").append(r.status()).append(' ');
        if (r.responseBytes() < 0) {
            sb.append('-');
        } else {
            sb.append(r.responseBytes());
        }
        sb.append(" \"");
        quoted(sb, r.referer());
        sb.append("\" \"");
        quoted(sb, r.userAgent());
        sb.append("\" rid=");
        plain(sb, r.requestId());
        sb.append(" dur_us=").append(r.durationMicros());
        sb.append(" route=");
        if (r.vhost() == null && r.route() == null) {
            sb.append('-');
        } else {
            plain(sb, r.vhost());
            sb.append('/');
            plain(sb, r.route());
        }
        sb.append(" pool=");
        plain(sb, r.pool());
        sb.append(" server=");
        plain(sb, r.serverId());
        sb.append(" listener=");
        plain(sb, r.listener());
        sb.append('\n');
    }

    private String time(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            cachedTime = TIME.format(Instant.ofEpochSecond(second));
            cachedSecond = second;
        }
        return cachedTime;
    }

    /** Inside double quotes: {@code "}, {@code \}, controls and DEL become {@code \xHH}; null or empty is {@code -}. */
    private static void quoted(StringBuilder sb, String s) {
        escape(sb, s, false);
    }

    /** Unquoted field: as {@link #quoted}, and a space also becomes {@code \x20}. */
    private static void plain(StringBuilder sb, String s) {
        escape(sb, s, true);
    }

    private static void escape(StringBuilder sb, String s, boolean space) {
        if (s == null || s.isEmpty()) {
            sb.append('-');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (space && c == ' ')) {
                sb.append("\\x").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
    }
}
