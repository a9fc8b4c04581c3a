/**
 * Server health: one state machine per server ({@link io.duet.proxy.health.ServerHealth}) fed by active checks,
 * passive outcomes of real requests and the administrative state from the document; its transitions are written to
 * the live {@link io.duet.proxy.pool.ServerState} and {@link io.duet.proxy.pool.PoolState} that balancers read.
 *
 * <p>Threads: checks and every transition run on the {@code duet-health-*} daemon threads (and the reload thread
 * for administrative changes); I/O threads only report outcomes through {@link io.duet.proxy.health.ServerOutcomes},
 * which counts with one atomic and never blocks. Balancers never wait on health. The whole registry is owned by
 * {@link io.duet.proxy.DataPlane} and survives reloads: a server whose pool, id, address and port stay the same keeps
 * its state machine, its schedule and its history. Log ids {@code DUET-HEALTH-0001..} are listed in proxy/ERRORS.md.
 */
package io.duet.proxy.health;
