package io.duet.admin.service;

import java.util.List;
import java.util.Map;

/**
 * What the services show about the running node that is not in the document: live server health, the cluster,
 * traffic figures, and the planned handoff. {@code io.duet.admin.NodeView} is the appliance's side of it. Values are
 * plain maps, lists, strings and numbers (they become JSON as they are). Any thread; must not block long.
 */
public interface LiveNode {
    /** Per pool: {@code pool, panic, available, servers: [{server, state, available, reason, activeRequests, ...}]}. */
    List<Map<String, Object>> health();

    /** The cluster: members, roles, leader, VIP owners, heartbeat ages; or {@code {"mode": "standalone"}}. */
    Map<String, Object> cluster();

    /** Traffic per route, pool and server: request rates, latency percentiles, errors. */
    Map<String, Object> metrics();

    /**
     * The recent traffic of the pools, routes or servers kept on the node, with the samples taken after
     * {@code sinceMillis} (0: all). Any thread; copies what it returns.
     *
     * @param kind  {@code pool}, {@code route} or {@code server}
     * @param scope only the servers of this pool, the routes of this virtual host; null: all
     * @param name  only this pool, route or server; null: all
     */
    default MetricHistory metricsHistory(String kind, String scope, String name, long sinceMillis) {
        return MetricHistory.NONE;
    }

    /**
     * The live tail of the access log: the node's recent access records after sequence {@code sinceSeq} that
     * {@code filter} shows, oldest first, at most {@code max}; asking keeps the node recording them for a minute (it
     * records none while nobody watches). Returns {@code records} (maps with {@code seq, time, client, method, uri,
     * protocol, status, bytesSent, durationUs, host, vhost, route, pool, server, requestId, listener}),
     * {@code lastSeq} (pass it back as {@code sinceSeq}), {@code missed} (records after {@code sinceSeq} were
     * overwritten before this call), {@code capacity} (the records kept). Any thread; copies what it returns.
     */
    default Map<String, Object> accessTail(long sinceSeq, AccessFilter filter, int max) {
        return Map.of("records", List.of(), "lastSeq", 0L, "missed", false, "capacity", 0);
    }

    /**
     * The node's rate limits: per limit {@code name, key, requests, periodMs, burst, action, concurrent, inFlight,
     * maxKeys, keys} (live now), {@code share} (this node's part of the limit), {@code allowed, limited, delayed, unkeyed, evictions}.
     * Any thread; copies what it returns.
     */
    default List<Map<String, Object>> rateLimits() {
        return List.of();
    }

    /**
     * The keys limit {@code name} refused lately, most refusals first, at most {@code max}: {@code key} (client
     * addresses and routes as they are; header, cookie and query values only as a short hash, never the value),
     * {@code refusals}, {@code lastRefusedAgoMs}, {@code debtMs}; null when there is no such limit. Any thread.
     */
    default List<Map<String, Object>> rateLimitTop(String name, int max) {
        return null;
    }

    /**
     * Planned failover: moves {@code node}'s VIPs to the other proxy, or with {@code undo} lets it hold VIPs again.
     * Blocks until committed.
     *
     * @throws IllegalStateException standalone, or not committed (the message says why)
     */
    default void handoff(String node, boolean undo) {
        throw new IllegalStateException("this node is standalone: there is nothing to hand off to");
    }
}
