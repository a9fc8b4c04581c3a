package io.duet.proxy.edge;

/**
 * What the edge counts: each method is one limit or check that fired, or a connection event. The metrics module
 * adapts this to its registry.
 *
 * <p>Called on I/O threads (sometimes on a worker thread that reads a request body): implementations must be
 * cheap, thread-safe and must not block.
 */
public interface EdgeEvents {

    /** Does nothing; the default when nobody listens. */
    EdgeEvents NOOP = new EdgeEvents() {
    };

    /** A request line exceeded {@code maxRequestLineBytes}: answered 414. */
    default void requestLineTooLong() {
    }

    /** A header block exceeded {@code maxHeaderBytes}: answered 431. */
    default void headersTooLarge() {
    }

    /** A header block had more than {@code maxHeaderCount} fields: answered 431. */
    default void tooManyHeaders() {
    }

    /** A body exceeded the limit of its route: answered 413 (or closed when the response had started). */
    default void bodyTooLarge() {
    }

    /** A header block missed its deadline (slowloris): answered 408. */
    default void headerTimeout() {
    }

    /** A body paused too long or arrived too slowly: answered 408 (or closed when the response had started). */
    default void slowBody() {
    }

    /** A request was rejected for framing, Host or path reasons: answered 400. */
    default void badRequest() {
    }

    /** A peer sent a PROXY protocol header it is not trusted to send: answered 400. */
    default void proxyProtocolRejected() {
    }

    /** The listener holds {@code maxConnectionsPerListener} connections and stopped accepting for now. */
    default void connectionLimitReached() {
    }

    /** An HTTP/2 stream beyond the concurrent-stream limit was refused (RST_STREAM REFUSED_STREAM). */
    default void http2StreamRefused() {
    }

    /** A malformed HTTP/2 request (RFC 9113 section 8) was reset with PROTOCOL_ERROR before it was forwarded. */
    default void http2Malformed() {
    }

    /** An HTTP/2 connection reset or overran too many streams and was closed with GOAWAY (rapid reset). */
    default void http2ConnectionAbused() {
    }

    /** A connection was accepted. */
    default void connectionOpened() {
    }

    /** A connection ended. */
    default void connectionClosed() {
    }
}
