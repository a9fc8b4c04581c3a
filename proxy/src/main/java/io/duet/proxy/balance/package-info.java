/**
 * Balancers: one small final class per algorithm behind {@link io.duet.proxy.pool.LoadBalancer}, built by
 * {@link io.duet.proxy.balance.Balancers#of}. The "Balancing" section of docs/configuration.md is the user-facing
 * description.
 *
 * <p>Live state. Every balancer picks among the candidates of {@link io.duet.proxy.balance.Candidates}: available
 * servers of weight above 0, backups only while no primary is available, every primary in panic, weights scaled by
 * slow start. The candidate set (and what an algorithm derives from it: a schedule, a hash ring) is rebuilt on the
 * first pick after {@link io.duet.proxy.pool.PoolState#generation()} moved; the {@code ServerState} setters
 * ({@code setAvailable}, {@code setWeightFactor}) and {@code PoolState.setPanic} move it. So the health code only
 * writes state; it never calls a balancer, and a reload that races with a transition cannot leave a stale set.
 * The round-robin paths pay one volatile read and a compare for this.
 *
 * <p>Threads: {@code pick()} runs on I/O threads, never locks or blocks; rebuilds happen there too, O(candidates)
 * plus the derived structure.
 *
 * <p>The forwarder feeds least-response-time through {@link io.duet.proxy.balance.ResponseLatency#record} when a
 * response head arrives, and counts requests in flight in {@code ServerState.active()}.
 */
package io.duet.proxy.balance;
