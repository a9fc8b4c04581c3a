package io.duet.proxy.pool;

import io.duet.config.Pool;

import java.util.List;

/**
 * Builds the balancer a pool's settings name (the algorithms live in {@code io.duet.proxy.balance}, which depends on
 * this package, so the pools are handed the factory instead of calling it). Called when a snapshot is built.
 */
@FunctionalInterface
public interface BalancerFactory {
    /**
     * @param spec    the pool's settings
     * @param servers every server of the pool, primaries and backups, in document order
     * @param state   the pool's live state
     * @throws IllegalArgumentException for a balancer the validator would have refused
     */
    LoadBalancer of(Pool spec, List<BackendServer> servers, PoolState state);
}
