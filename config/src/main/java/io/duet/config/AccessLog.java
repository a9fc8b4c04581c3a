package io.duet.config;

/**
 * The access log, written off the I/O threads, to a file (or standard output) or to syslog: exactly one of them.
 *
 * @param enabled on by default
 * @param format  {@code combined} (Apache/NGINX combined plus request id and duration) or {@code json}
 *                (one JSON object per line)
 * @param path    file path; relative paths are under the node's data directory; {@code -} is standard output.
 *                Defaults to {@value #DEFAULT_PATH} when {@code syslog} is absent; null when syslog is the output
 * @param syslog  send each record as one syslog datagram instead of writing a file; null for a file
 */
public record AccessLog(Boolean enabled, String format, String path, Syslog syslog) {
    public static final String DEFAULT_PATH = "logs/access.log";

    public AccessLog {
        enabled = enabled == null || enabled;
        format = format == null ? "combined" : format;
        path = path == null && syslog == null ? DEFAULT_PATH : path;
    }

    /** A file (or {@code -}) output, as before syslog existed. */
    public AccessLog(Boolean enabled, String format, String path) {
        this(enabled, format, path, null);
    }

    public static AccessLog defaults() {
        return new AccessLog(null, null, null, null);
    }
}
