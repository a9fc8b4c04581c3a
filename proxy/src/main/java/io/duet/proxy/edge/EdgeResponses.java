package io.duet.proxy.edge;

import java.nio.charset.StandardCharsets;

/**
 * The edge's own error responses, pre-encoded once: status line, {@code Connection: close}, a short text body
 * naming a stable id. Written straight to the socket (see {@link HeadGuardConduit#reject}).
 */
final class EdgeResponses {
    static final byte[] BAD_REQUEST = of(400, "Bad Request", "DUET-EDGE-0400 malformed request");
    static final byte[] BAD_FRAMING = of(400, "Bad Request", "DUET-EDGE-0401 ambiguous or invalid message framing");
    static final byte[] BAD_HOST = of(400, "Bad Request", "DUET-EDGE-0402 missing, duplicate or malformed Host");
    static final byte[] BAD_PATH = of(400, "Bad Request", "DUET-EDGE-0403 path cannot be canonicalised");
    static final byte[] PROXY_REJECTED = of(400, "Bad Request", "DUET-EDGE-0404 PROXY header from an untrusted peer");
    static final byte[] REQUEST_TIMEOUT = of(408, "Request Timeout", "DUET-EDGE-0408 request not received in time");
    static final byte[] TOO_LARGE = of(413, "Content Too Large", "DUET-EDGE-0413 request body over the limit");
    static final byte[] URI_TOO_LONG = of(414, "URI Too Long", "DUET-EDGE-0414 request line over the limit");
    static final byte[] HEADERS_TOO_LARGE = of(431, "Request Header Fields Too Large",
            "DUET-EDGE-0431 request header block over the limit");
    static final byte[] NOT_IMPLEMENTED = of(501, "Not Implemented", "DUET-EDGE-0501 unsupported transfer coding");

    private EdgeResponses() {
    }

    private static byte[] of(int status, String reason, String text) {
        String body = text + "\n";
        return ("HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
