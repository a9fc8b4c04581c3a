package io.duet.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Frames one access log line as one syslog message, RFC 5424 or RFC 3164, cut to the maximum datagram length.
 * Not thread-safe (it caches the formatted second): writer thread only.
 *
 * <pre>
 * RFC 5424: &lt;PRI&gt;1 2026-11-22T05:56:50.123Z HOSTNAME TAG PID - - LINE
 * RFC 3164: &lt;PRI&gt;Nov 22 05:56:50 [HOSTNAME ]TAG[PID]: LINE
 * </pre>
 * PRI is facility x 8 + severity, the severity from the status ({@link #severity}). RFC 5424's timestamp is the
 * request's time in UTC with milliseconds and its HOSTNAME is always there ({@code -} when unknown); RFC 3164's
 * timestamp is in the local time zone (it has none of its own) and its HOSTNAME is sent only when configured, as
 * HAProxy and syslog(3) do, so that a local daemon fills in its own. LINE is the combined or JSON line without its
 * line feed. No structured data, no MSGID, no byte-order mark.
 */
final class SyslogFramer {
    /** RFC 5424 severities. */
    static final int ERR = 3;
    static final int WARNING = 4;
    static final int NOTICE = 5;
    static final int INFO = 6;

    private static final DateTimeFormatter RFC5424_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final boolean rfc3164;
    private final int facility;
    private final String tag;
    private final String hostname;
    private final int maxLength;
    private final long pid;
    private final DateTimeFormatter rfc3164Time;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    /**
     * @param hostname  the HOSTNAME field; null: {@code -} in RFC 5424, absent in RFC 3164
     * @param zone      the time zone of RFC 3164 timestamps
     */
    SyslogFramer(boolean rfc3164, int facility, String tag, String hostname, int maxLength, long pid, ZoneId zone) {
        this.rfc3164 = rfc3164;
        this.facility = facility;
        this.tag = tag;
        this.hostname = hostname;
        this.maxLength = maxLength;
        this.pid = pid;
        this.rfc3164Time = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(zone);
    }

    /**
     * The severity of a request: 5xx is err, 4xx notice, a request that got no status (the client left, or the
     * connection broke before a response) warning, anything else info.
     */
    static int severity(int status) {
        if (status >= 500) {
            return ERR;
        }
        if (status >= 400) {
            return NOTICE;
        }
        return status == 0 ? WARNING : INFO;
    }

    /**
     * Writes the message for {@code r} into {@code out} (cleared first): the header, then {@code line}'s bytes without
     * a trailing line feed, cut at {@code maxLength} bytes on a UTF-8 character boundary.
     */
    void frame(LineBuffer out, AccessRecord r, LineBuffer line) {
        out.clear();
        out.ascii('<').number(facility * 8L + severity(r.status())).ascii('>');
        if (rfc3164) {
            out.ascii(time(r.epochMillis())).ascii(' ');
            if (hostname != null) {
                out.text(hostname).ascii(' ');
            }
            out.ascii(tag).ascii('[').number(pid).ascii("]: ");
        } else {
            out.ascii("1 ").ascii(time(r.epochMillis())).ascii('.').padded(Math.floorMod(r.epochMillis(), 1000), 3)
                    .ascii("Z ").text(hostname == null ? "-" : hostname).ascii(' ').ascii(tag).ascii(' ')
                    .number(pid).ascii(" - - ");
        }
        int body = line.length();
        if (body > 0 && line.array()[body - 1] == '\n') {
            body--;
        }
        out.bytes(line.array(), 0, body);
        if (out.length() > maxLength) {
            int cut = maxLength;
            while (cut > 0 && (out.array()[cut] & 0xC0) == 0x80) {
                cut--; // never split a UTF-8 sequence: back off to the start of the character
            }
            out.truncate(cut);
        }
    }

    private String time(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            Instant at = Instant.ofEpochSecond(second);
            cachedTime = rfc3164 ? rfc3164Time.format(at) : RFC5424_SECOND.format(at);
            cachedSecond = second;
        }
        return cachedTime;
    }
}
