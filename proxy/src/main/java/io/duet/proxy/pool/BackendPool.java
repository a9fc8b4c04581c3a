package io.duet.proxy.pool;

import io.duet.proxy.pool.LoadBalancer;
import io.duet.proxy.metrics.PoolMetrics;

import java.util.List;

/**
 * A compiled pool: its servers and its balancer. Immutable; a reload builds a new one.
 *
 * @param name             pool name
 * @param servers          every server, primaries and backups, in document order
 * @param balancer         picks among the servers that may take traffic
 * @param connectTimeoutMs connect timeout to a server
 * @param metrics          metrics of the pool
 * @param state            live state of the pool (panic, queue), kept across reloads
 * @param serverLimit      concurrent requests per server and the queue, or {@code null} when unlimited
 */
public record BackendPool(String name, List<BackendServer> servers, LoadBalancer balancer, long connectTimeoutMs,
                          PoolMetrics metrics, PoolState state, io.duet.config.ServerLimit serverLimit) {
    public BackendPool {
        servers = List.copyOf(servers);
    }
}
