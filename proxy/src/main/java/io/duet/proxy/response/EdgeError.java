package io.duet.proxy.response;

/**
 * The edge's own error responses (ids {@code DUET-EDGE-04nn}/{@code 0501}): a short text body naming a stable id.
 * On HTTP/1.1 the whole response is pre-encoded once by {@link ErrorResponses#http1Closing} (status line,
 * {@code Connection: close}) and written straight to the socket; on an HTTP/2 stream it is sent with
 * {@link ErrorResponses#sendText}. Immutable.
 */
public enum EdgeError {
    BAD_REQUEST(400, "Bad Request", "DUET-EDGE-0400 malformed request"),
    BAD_FRAMING(400, "Bad Request", "DUET-EDGE-0401 ambiguous or invalid message framing"),
    BAD_HOST(400, "Bad Request", "DUET-EDGE-0402 missing, duplicate or malformed Host"),
    BAD_PATH(400, "Bad Request", "DUET-EDGE-0403 path cannot be canonicalised"),
    PROXY_REJECTED(400, "Bad Request", "DUET-EDGE-0404 PROXY header from an untrusted peer"),
    REQUEST_TIMEOUT(408, "Request Timeout", "DUET-EDGE-0408 request not received in time"),
    TOO_LARGE(413, "Content Too Large", "DUET-EDGE-0413 request body over the limit"),
    URI_TOO_LONG(414, "URI Too Long", "DUET-EDGE-0414 request line over the limit"),
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", "DUET-EDGE-0431 request header block over the limit"),
    NOT_IMPLEMENTED(501, "Not Implemented", "DUET-EDGE-0501 unsupported transfer coding");

    private final int status;
    private final String text;
    private final byte[] http1;

    EdgeError(int status, String reason, String text) {
        this.status = status;
        this.text = text;
        this.http1 = ErrorResponses.http1Closing(status, reason, text);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The body's text without its line end: the id and what went wrong. */
    public String text() {
        return text;
    }

    /** The whole HTTP/1.1 response, closing the connection. Shared: write it, never change it. */
    public byte[] http1() {
        return http1;
    }
}
