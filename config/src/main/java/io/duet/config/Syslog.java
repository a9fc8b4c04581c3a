package io.duet.config;

/**
 * The access log's syslog output: one datagram per record.
 *
 * @param address   {@code udp://host:port} (an IP address or host name; IPv6 in brackets) or
 *                  {@code unix:///path} (a local datagram socket such as {@code unix:///dev/log}); see
 *                  {@link SyslogAddress}
 * @param format    the syslog framing: {@code rfc5424} (default) or {@code rfc3164} (the BSD format); the message itself
 *                  is the access log's format (combined or json), without its line feed
 * @param facility  {@code kern}, {@code user}, ... {@code local0} (default) ... {@code local7}; see
 *                  {@link #FACILITIES}
 * @param tag       the APP-NAME (RFC 5424) or TAG (RFC 3164); default {@code duet}
 * @param maxLength bytes of one datagram, header included; longer messages are cut. Default 2048 for RFC 5424
 *                  (what its receivers should accept) and 1024 for RFC 3164 (its limit)
 * @param hostname  the HOSTNAME field; default: the machine's host name for RFC 5424, none for RFC 3164 (as
 *                  HAProxy and the C library's syslog(3) send it; the receiver fills in its own)
 */
public record Syslog(String address, String format, String facility, String tag, Integer maxLength,
                     String hostname) {
    /** The facility names in the order of their numeric codes (RFC 5424 table 1). */
    public static final java.util.List<String> FACILITIES = java.util.List.of(
            "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
            "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
            "local7");
    public static final String RFC5424 = "rfc5424";
    public static final String RFC3164 = "rfc3164";

    public Syslog {
        format = format == null ? RFC5424 : format;
        facility = facility == null ? "local0" : facility;
        tag = tag == null ? "duet" : tag;
        maxLength = maxLength == null ? (RFC3164.equals(format) ? 1024 : 2048) : maxLength;
    }

    /** The numeric facility code, or -1 for an unknown name. */
    public int facilityCode() {
        return FACILITIES.indexOf(facility);
    }
}
