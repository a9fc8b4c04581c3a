package io.duet.admin;

import java.util.List;
import java.util.Map;

/**
 * What the admin API shows about the running node that is not in the document: live server health, the cluster,
 * traffic figures. The appliance implements it over the data plane and the cluster member (admin-ui knows neither).
 * Values are plain maps, lists, strings and numbers (they become JSON as they are). Any thread; must not block long.
 */
public interface NodeView {
    /** Per pool: {@code pool, panic, available, servers: [{server, state, available, reason, activeRequests, ...}]}. */
    List<Map<String, Object>> health();

    /** The cluster: members, roles, leader, VIP owners, heartbeat ages; or {@code {"mode": "standalone"}}. */
    Map<String, Object> cluster();

    /** Traffic per route, pool and server: request rates, latency percentiles, errors. */
    Map<String, Object> metrics();

    /**
     * Planned failover: moves {@code node}'s VIPs to the other proxy, or with {@code undo} lets it hold VIPs again.
     * Blocks until committed.
     *
     * @throws IllegalStateException standalone, or not committed (the message says why)
     */
    default void handoff(String node, boolean undo) {
        throw new IllegalStateException("this node is standalone: there is nothing to hand off to");
    }

    /** Nothing known (tests, or a node without a data plane). */
    NodeView NONE = new NodeView() {
        @Override
        public List<Map<String, Object>> health() {
            return List.of();
        }

        @Override
        public Map<String, Object> cluster() {
            return Map.of("mode", "standalone");
        }

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }
    };
}
