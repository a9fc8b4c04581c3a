package io.duet.config;

/**
 * The access log, written off the I/O threads.
 *
 * @param enabled on by default
 * @param format  {@code combined} (Apache/NGINX combined plus request id and duration) or {@code json}
 *                (one JSON object per line)
 * @param path    file path; relative paths are under the node's data directory; {@code -} is standard output
 */
public record AccessLog(Boolean enabled, String format, String path) {
    public static final String DEFAULT_PATH = "logs/access.log";

    public AccessLog {
        enabled = enabled == null || enabled;
        format = format == null ? "combined" : format;
        path = path == null ? DEFAULT_PATH : path;
    }

    public static AccessLog defaults() {
        return new AccessLog(null, null, null);
    }
}
