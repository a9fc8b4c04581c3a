package io.duet.proxy.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The edge metrics of one listener, labelled {@code listener="..."}: one counter per limit that can refuse a request
 * or a connection, plus connections accepted and open. Obtain with {@link ProxyMetrics#forListener}.
 *
 * <p>Hot path: {@code inc()} on the counter of the limit that fired, {@link #connectionOpened()} and
 * {@link #connectionClosed()}; any thread (I/O threads included), never blocks, allocates nothing.
 *
 * <p>Request refusals are one family, {@code duet_listener_rejections_total{listener,reason,status}}; connection
 * refusals are {@code duet_listener_connections_rejected_total{listener,reason}}.
 */
public final class EdgeMetrics implements MetricBundle {
    private final List<String> names = new ArrayList<>(16);
    private final Counter requestLineTooLong;
    private final Counter headersTooLarge;
    private final Counter tooManyHeaders;
    private final Counter bodyTooLarge;
    private final Counter headerTimeout;
    private final Counter bodyTimeout;
    private final Counter badRequest;
    private final Counter proxyProtocolRejected;
    private final Counter connectionsRejected;
    private final Counter http2StreamsRefused;
    private final Counter http2Abused;
    private final Counter http2Malformed;
    private final Counter connectionsAccepted;
    private final Counter connectionsOpen;

    EdgeMetrics(MetricRegistry registry, String listener) {
        requestLineTooLong = rejection(registry, listener, "request_line_too_long", "414");
        headersTooLarge = rejection(registry, listener, "headers_too_large", "431");
        tooManyHeaders = rejection(registry, listener, "too_many_headers", "431");
        bodyTooLarge = rejection(registry, listener, "body_too_large", "413");
        headerTimeout = rejection(registry, listener, "header_timeout", "408");
        bodyTimeout = rejection(registry, listener, "body_timeout", "408");
        badRequest = rejection(registry, listener, "bad_request", "400");
        proxyProtocolRejected = counter(registry, "duet_listener_connections_rejected_total",
                "listener", listener, "reason", "proxy_protocol");
        connectionsRejected = counter(registry, "duet_listener_connections_rejected_total",
                "listener", listener, "reason", "max_connections");
        http2StreamsRefused = counter(registry, "duet_listener_rejections_total",
                "listener", listener, "reason", "h2_too_many_streams", "status", "refused_stream");
        http2Abused = counter(registry, "duet_listener_connections_rejected_total",
                "listener", listener, "reason", "h2_rapid_reset");
        http2Malformed = counter(registry, "duet_listener_rejections_total",
                "listener", listener, "reason", "h2_malformed", "status", "protocol_error");
        connectionsAccepted = counter(registry, "duet_listener_connections_accepted_total", "listener", listener);
        connectionsOpen = counter(registry, "duet_listener_connections_open", "listener", listener);
    }

    private Counter rejection(MetricRegistry registry, String listener, String reason, String status) {
        return counter(registry, "duet_listener_rejections_total",
                "listener", listener, "reason", reason, "status", status);
    }

    private Counter counter(MetricRegistry registry, String family, String... labels) {
        String name = MetricName.encode(family, labels);
        names.add(name);
        return registry.counter(name);
    }

    /** A connection was accepted and is now open: counts it in accepted and open. */
    public void connectionOpened() {
        connectionsAccepted.inc();
        connectionsOpen.inc();
    }

    /** An accepted connection closed (call once per {@link #connectionOpened()}). */
    public void connectionClosed() {
        connectionsOpen.dec();
    }

    /** 414: the request line exceeded its limit ({@code reason="request_line_too_long"}). */
    public Counter requestLineTooLong() {
        return requestLineTooLong;
    }

    /** 431: the header block exceeded its size limit ({@code reason="headers_too_large"}). */
    public Counter headersTooLarge() {
        return headersTooLarge;
    }

    /** 431: more header fields than allowed ({@code reason="too_many_headers"}). */
    public Counter tooManyHeaders() {
        return tooManyHeaders;
    }

    /** 413: the body exceeded its limit ({@code reason="body_too_large"}). */
    public Counter bodyTooLarge() {
        return bodyTooLarge;
    }

    /** 408: the header block did not arrive within its deadline ({@code reason="header_timeout"}). */
    public Counter headerTimeout() {
        return headerTimeout;
    }

    /** 408: the body arrived too slowly or not within its deadline ({@code reason="body_timeout"}). */
    public Counter bodyTimeout() {
        return bodyTimeout;
    }

    /** 400: bad framing (e.g. Content-Length with Transfer-Encoding), missing or bad Host ({@code reason="bad_request"}). */
    public Counter badRequest() {
        return badRequest;
    }

    /** A connection closed because its PROXY protocol header was missing, malformed or from an untrusted peer. */
    public Counter http2StreamsRefused() {
        return http2StreamsRefused;
    }

    public Counter http2Abused() {
        return http2Abused;
    }

    /** HTTP/2 requests reset as malformed (RFC 9113 section 8). */
    public Counter http2Malformed() {
        return http2Malformed;
    }

    public Counter proxyProtocolRejected() {
        return proxyProtocolRejected;
    }

    /** A connection closed on accept because the listener was at its maximum number of connections. */
    public Counter connectionsRejected() {
        return connectionsRejected;
    }

    /** Connections accepted since start ({@code duet_listener_connections_accepted_total}). */
    public Counter connectionsAccepted() {
        return connectionsAccepted;
    }

    /** Connections open now ({@code duet_listener_connections_open}, exposed as a gauge). */
    public Counter connectionsOpen() {
        return connectionsOpen;
    }

    @Override
    public List<String> metricNames() {
        return List.copyOf(names);
    }
}
