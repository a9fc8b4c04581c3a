package io.duet.proxy.response;

/**
 * The stable ids of the error responses the data plane sends to clients, one per status code. The id appears in
 * the body of every error response (see {@link ErrorResponses}) and in proxy/ERRORS.md; ids never change meaning.
 * The range {@code DUET-PROXY-0400} to {@code DUET-PROXY-0599} is reserved for these client-facing errors.
 */
public enum ErrorId {
    BAD_REQUEST(400, "DUET-PROXY-0400", "the request is malformed; fix the request and retry"),
    FORBIDDEN(403, "DUET-PROXY-0403", "access from your address is not allowed here"),
    NO_ROUTE(404, "DUET-PROXY-0404", "no route matches this host and path; check the URL"),
    REQUEST_TIMEOUT(408, "DUET-PROXY-0408", "the request was not received in time; retry on a faster connection"),
    BODY_TOO_LARGE(413, "DUET-PROXY-0413", "the request body exceeds the limit of this route; send a smaller body"),
    MISDIRECTED(421, "DUET-PROXY-0421",
            "this connection cannot serve this host (TLS server name and Host differ); open a new connection"),
    TOO_MANY_REQUESTS(429, "DUET-PROXY-0429", "too many requests; slow down and retry later"),
    HEADERS_TOO_LARGE(431, "DUET-PROXY-0431", "the request header block is too large; send fewer or smaller headers"),
    INTERNAL(500, "DUET-PROXY-0500", "the proxy failed to handle the request; retry, and report the request id"),
    BAD_GATEWAY(502, "DUET-PROXY-0502", "the backend failed to answer; retry later"),
    NO_SERVER(503, "DUET-PROXY-0503", "no backend server is available; retry later"),
    GATEWAY_TIMEOUT(504, "DUET-PROXY-0504", "the backend did not answer in time; retry later");

    private final int status;
    private final String id;
    private final String message;

    ErrorId(int status, String id, String message) {
        this.status = status;
        this.id = id;
        this.message = message;
    }

    /**
     * The id for an error status: the id of its constant, or the same scheme ({@code DUET-PROXY-0nnn}) for a status
     * that has none (e.g. a 405 a backend sent without a body).
     */
    public static String idFor(int status) {
        for (ErrorId e : values()) {
            if (e.status == status) {
                return e.id;
            }
        }
        return String.format("DUET-PROXY-%04d", status);
    }

    /** The HTTP status code sent with this error. */
    public int status() {
        return status;
    }

    /** The stable id, e.g. {@code DUET-PROXY-0404}. */
    public String id() {
        return id;
    }

    /** The default message shown to the client: what happened and what to do. */
    public String message() {
        return message;
    }
}
