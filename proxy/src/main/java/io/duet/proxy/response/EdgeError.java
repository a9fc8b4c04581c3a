package io.duet.proxy.response;

import io.duet.proxy.message.ProxyMessage;

import static io.duet.proxy.message.ProxyMessage.EDGE_BAD_FRAMING;
import static io.duet.proxy.message.ProxyMessage.EDGE_BAD_HOST;
import static io.duet.proxy.message.ProxyMessage.EDGE_BAD_PATH;
import static io.duet.proxy.message.ProxyMessage.EDGE_BODY_TOO_LARGE;
import static io.duet.proxy.message.ProxyMessage.EDGE_HEADERS_TOO_LARGE;
import static io.duet.proxy.message.ProxyMessage.EDGE_MALFORMED;
import static io.duet.proxy.message.ProxyMessage.EDGE_REQUEST_LINE_TOO_LONG;
import static io.duet.proxy.message.ProxyMessage.EDGE_TIMEOUT;
import static io.duet.proxy.message.ProxyMessage.EDGE_UNSUPPORTED_CODING;
import static io.duet.proxy.message.ProxyMessage.EDGE_UNTRUSTED_PROXY_HEADER;

/**
 * The edge's own error responses (ids {@code DUET-EDGE-04nn}/{@code 0501}): a short text body naming a stable id.
 * On HTTP/1.1 the whole response is pre-encoded once by {@link ErrorResponses#http1Closing} (status line,
 * {@code Connection: close}) and written straight to the socket; on an HTTP/2 stream it is sent with
 * {@link ErrorResponses#sendText}. Immutable.
 */
public enum EdgeError {
    BAD_REQUEST(400, "Bad Request", EDGE_MALFORMED, "malformed request"),
    BAD_FRAMING(400, "Bad Request", EDGE_BAD_FRAMING, "ambiguous or invalid message framing"),
    BAD_HOST(400, "Bad Request", EDGE_BAD_HOST, "missing, duplicate or malformed Host"),
    BAD_PATH(400, "Bad Request", EDGE_BAD_PATH, "path cannot be canonicalised"),
    PROXY_REJECTED(400, "Bad Request", EDGE_UNTRUSTED_PROXY_HEADER, "PROXY header from an untrusted peer"),
    REQUEST_TIMEOUT(408, "Request Timeout", EDGE_TIMEOUT, "request not received in time"),
    TOO_LARGE(413, "Content Too Large", EDGE_BODY_TOO_LARGE, "request body over the limit"),
    URI_TOO_LONG(414, "URI Too Long", EDGE_REQUEST_LINE_TOO_LONG, "request line over the limit"),
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", EDGE_HEADERS_TOO_LARGE,
            "request header block over the limit"),
    NOT_IMPLEMENTED(501, "Not Implemented", EDGE_UNSUPPORTED_CODING, "unsupported transfer coding");

    private final int status;
    private final String text;
    private final byte[] http1;

    EdgeError(int status, String reason, ProxyMessage id, String what) {
        this.status = status;
        this.text = id + " " + what;
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
