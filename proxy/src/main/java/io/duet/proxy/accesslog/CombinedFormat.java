package io.duet.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The combined line format (NGINX/Apache combined plus a key=value tail); see the package documentation for the
 * exact layout. Not thread-safe: one instance per writer thread (it caches the formatted second).
 */
final class CombinedFormat implements LineFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    @Override
    public void append(LineBuffer sb, AccessRecord r) {
        plain(sb, r.clientAddress());
        sb.ascii(" - - [").ascii(time(r.epochMillis())).ascii("] \"");
        if (r.method() == null) {
            sb.ascii('-');
        } else {
            quoted(sb, r.method());
            sb.ascii(' ');
            quoted(sb, r.uri());
            sb.ascii(' ');
            quoted(sb, r.protocol());
        }
        sb.ascii("\" ").number(r.status()).ascii(' ');
        if (r.responseBytes() < 0) {
            sb.ascii('-');
        } else {
            sb.number(r.responseBytes());
        }
        sb.ascii(" \"");
        quoted(sb, r.referer());
        sb.ascii("\" \"");
        quoted(sb, r.userAgent());
        sb.ascii("\" rid=");
        plain(sb, r.requestId());
        sb.ascii(" dur_us=").number(r.durationMicros());
        sb.ascii(" route=");
        if (r.vhost() == null && r.route() == null) {
            sb.ascii('-');
        } else {
            plain(sb, r.vhost());
            sb.ascii('/');
            plain(sb, r.route());
        }
        sb.ascii(" pool=");
        plain(sb, r.pool());
        sb.ascii(" server=");
        plain(sb, r.serverId());
        sb.ascii(" listener=");
        plain(sb, r.listener());
        sb.ascii('\n');
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
    private static void quoted(LineBuffer sb, String s) {
        escape(sb, s, false);
    }

    /** Unquoted field: as {@link #quoted}, and a space also becomes {@code \x20}. */
    private static void plain(LineBuffer sb, String s) {
        escape(sb, s, true);
    }

    private static void escape(LineBuffer sb, String s, boolean space) {
        if (s == null || s.isEmpty()) {
            sb.ascii('-');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (space && c == ' ')) {
                sb.ascii("\\x").ascii(HEX[(c >> 4) & 0xF]).ascii(HEX[c & 0xF]);
            } else {
                sb.character(c);
            }
        }
    }
}
