package io.duet.config;

/**
 * Edge limits and timeouts for every listener. Each one that fires is counted in a metric.
 * Defaults follow ../docs/edge-hardening.md.
 *
 * @param maxRequestLineBytes      longest request line (414 beyond)
 * @param maxHeaderBytes           largest header block (431 beyond)
 * @param maxHeaderCount           most header fields (431 beyond)
 * @param maxBodyBytes             largest request body unless a route sets its own (413 beyond)
 * @param headerTimeoutMs          deadline for a whole request header block (408 and close)
 * @param idleTimeoutMs            idle keep-alive connection lifetime
 * @param bodyTimeoutMs            longest pause while a request body is read (408 and close)
 * @param minBodyBytesPerSecond    slowest accepted request body upload after its first second (408 and close)
 * @param maxConnectionsPerListener connections a listener holds at once; more wait in the accept backlog
 * @param backendConnectTimeoutMs  connect timeout to a server unless the pool sets its own
 * @param backendResponseTimeoutMs time from request sent to response headers unless the route sets its own
 */
public record Limits(
        Integer maxRequestLineBytes,
        Integer maxHeaderBytes,
        Integer maxHeaderCount,
        Long maxBodyBytes,
        Long headerTimeoutMs,
        Long idleTimeoutMs,
        Long bodyTimeoutMs,
        Long minBodyBytesPerSecond,
        Integer maxConnectionsPerListener,
        Long backendConnectTimeoutMs,
        Long backendResponseTimeoutMs) {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_LISTENER = 10_000;
    public static final long DEFAULT_BACKEND_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_BACKEND_RESPONSE_TIMEOUT_MS = 60_000;

    public Limits {
        maxRequestLineBytes = maxRequestLineBytes == null ? DEFAULT_MAX_REQUEST_LINE_BYTES : maxRequestLineBytes;
        maxHeaderBytes = maxHeaderBytes == null ? DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes;
        maxHeaderCount = maxHeaderCount == null ? DEFAULT_MAX_HEADER_COUNT : maxHeaderCount;
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        headerTimeoutMs = headerTimeoutMs == null ? DEFAULT_HEADER_TIMEOUT_MS : headerTimeoutMs;
        idleTimeoutMs = idleTimeoutMs == null ? DEFAULT_IDLE_TIMEOUT_MS : idleTimeoutMs;
        bodyTimeoutMs = bodyTimeoutMs == null ? DEFAULT_BODY_TIMEOUT_MS : bodyTimeoutMs;
        minBodyBytesPerSecond = minBodyBytesPerSecond == null ? DEFAULT_MIN_BODY_BYTES_PER_SECOND : minBodyBytesPerSecond;
        maxConnectionsPerListener = maxConnectionsPerListener == null
                ? DEFAULT_MAX_CONNECTIONS_PER_LISTENER : maxConnectionsPerListener;
        backendConnectTimeoutMs = backendConnectTimeoutMs == null
                ? DEFAULT_BACKEND_CONNECT_TIMEOUT_MS : backendConnectTimeoutMs;
        backendResponseTimeoutMs = backendResponseTimeoutMs == null
                ? DEFAULT_BACKEND_RESPONSE_TIMEOUT_MS : backendResponseTimeoutMs;
    }

    public static Limits defaults() {
        return new Limits(null, null, null, null, null, null, null, null, null, null, null);
    }
}
