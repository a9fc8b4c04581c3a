package io.duet.proxy.metrics;

import java.util.Map;

/** The metric families the proxy defines, with their help texts for the Prometheus exposition. */
final class Families {
    private Families() {
    }

    static final String ACCESS_LOG_DROPPED = "duet_access_log_dropped_total";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("duet_route_requests_total", "Requests matched to the route."),
            Map.entry("duet_route_request_duration_seconds", "Request duration through the route, in seconds."),
            Map.entry("duet_route_responses_total", "Responses of the route by status class."),
            Map.entry("duet_route_active_requests", "Requests of the route in flight."),
            Map.entry("duet_pool_requests_total", "Requests sent to the pool."),
            Map.entry("duet_pool_request_duration_seconds", "Request duration through the pool, in seconds."),
            Map.entry("duet_pool_responses_total", "Responses of the pool by status class."),
            Map.entry("duet_pool_active_requests", "Requests of the pool in flight."),
            Map.entry("duet_pool_no_server_available_total", "Requests answered 503 because no server of the pool was up."),
            Map.entry("duet_pool_queued_total", "Requests that waited in the pool's queue for a server slot (serverLimit)."),
            Map.entry("duet_pool_queue_full_total", "Requests answered 503 because the pool's queue was full."),
            Map.entry("duet_pool_queue_timeouts_total", "Requests answered 503 after waiting the pool's queue timeout."),
            Map.entry("duet_server_requests_total", "Requests sent to the server."),
            Map.entry("duet_server_request_duration_seconds", "Request duration at the server, in seconds."),
            Map.entry("duet_server_responses_total", "Responses of the server by status class."),
            Map.entry("duet_server_active_requests", "Requests at the server in flight."),
            Map.entry("duet_server_connect_errors_total", "Failed connection attempts to the server."),
            Map.entry("duet_server_response_timeouts_total", "Requests to the server that timed out waiting for the response."),
            Map.entry("duet_server_retries_total", "Requests retried after a failure at the server."),
            Map.entry("duet_server_address_changes_total", "Changes of the address of a server given by host name."),
            Map.entry("duet_listener_rejections_total", "Requests refused by an edge limit, by reason and status."),
            Map.entry("duet_listener_connections_rejected_total", "Connections closed on accept, by reason."),
            Map.entry("duet_listener_connections_accepted_total", "Connections accepted by the listener."),
            Map.entry("duet_listener_connections_open", "Connections of the listener open now."),
            Map.entry("duet_certificate_expiry_seconds", "Seconds until the TLS certificate expires (negative once expired)."),
            Map.entry("duet_listener_access_total", "Requests the listener's access rule let through, denied or tarpitted, by outcome."),
            Map.entry("duet_route_access_total", "Requests the route's access rule let through, denied or tarpitted, by outcome."),
            Map.entry("duet_rate_limit_requests_total", "Requests seen by the rate limit, by outcome (allowed, limited, delayed, unkeyed: without the key, not counted)."),
            Map.entry(ACCESS_LOG_DROPPED, "Access log records dropped because the queue was full or the file could not be written."));

    /** The help text of a family, or null for a family not defined by the proxy. */
    static String help(String family) {
        return HELP.get(family);
    }
}
