package io.duet.proxy.accesslog;

/**
 * One finished request, as handed to {@link AccessLogWriter#log}. Built once per request by the request path; the
 * writer thread formats it later, so every field must already be an immutable value (no live exchange objects).
 * String fields may be null when unknown (logged as {@code -} in combined format, {@code null} in JSON).
 *
 * @param epochMillis    when the request started, milliseconds since the epoch
 * @param clientAddress  the client's IP address (after PROXY protocol / trusted forwarding, if any)
 * @param method         request method
 * @param uri            path and query exactly as received
 * @param protocol       e.g. {@code HTTP/1.1}, {@code HTTP/2.0}
 * @param status         status sent; 0 if none was sent
 * @param responseBytes  body bytes sent to the client; -1 if unknown
 * @param requestBytes   body bytes received from the client; -1 if unknown
 * @param durationMicros from the start of the request to the end of the response
 * @param host           the Host (or :authority) as received
 * @param vhost          the virtual host matched
 * @param route          the route matched
 * @param pool           the pool chosen
 * @param serverId       the server that answered
 * @param referer        the Referer header
 * @param userAgent      the User-Agent header
 * @param requestId      the request id (as received or generated)
 * @param listener       the listener name
 */
public record AccessRecord(
        long epochMillis,
        String clientAddress,
        String method,
        String uri,
        String protocol,
        int status,
        long responseBytes,
        long requestBytes,
        long durationMicros,
        String host,
        String vhost,
        String route,
        String pool,
        String serverId,
        String referer,
        String userAgent,
        String requestId,
        String listener) {
}
