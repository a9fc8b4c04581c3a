package io.duet.proxy.balance;

import io.duet.proxy.pool.LoadBalancer;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.Pool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.PoolState;

import java.util.List;

/** Builds the balancer a pool's settings name: the {@link io.duet.proxy.pool.BalancerFactory} the data plane hands its pools. */
public final class Balancers {
    private Balancers() {
    }

    /**
     * The balancer {@code spec} names over {@code servers} (every server of the pool, primaries and backups, in
     * document order). Which of them it picks from follows the pool's live state ({@code state} and each server's
     * {@link io.duet.proxy.pool.ServerState}) at every pick: see {@link Candidates}. Called when a snapshot is built
     * (not on an I/O thread).
     *
     * @throws IllegalArgumentException for a balancer name or hashKey source the validator would have refused
     */
    public static LoadBalancer of(Pool spec, List<BackendServer> servers, PoolState state) {
        BalancerAlgorithm algorithm = BalancerAlgorithm.byId(spec.balancer());
        if (algorithm == null) {
            throw new IllegalArgumentException("unknown balancer '" + spec.balancer() + "' (known: " + Pool.BALANCERS
                    + ")");
        }
        return switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin(servers, state);
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobin(servers, state);
            case LEAST_CONNECTIONS -> new LeastConnections(servers, state);
            case WEIGHTED_LEAST_CONNECTIONS -> new WeightedLeastConnections(servers, state);
            case RANDOM_TWO_CHOICES -> new RandomTwoChoices(servers, state);
            case LEAST_RESPONSE_TIME -> new LeastResponseTime(servers, state);
            case SOURCE_HASH -> new SourceHash(servers, state);
            case HASH -> {
                if (spec.hashKey() == null) {
                    throw new IllegalArgumentException("balancer 'hash' needs hashKey");
                }
                yield new ConsistentHash(servers, state, RequestKey.of(spec.hashKey()));
            }
            case LBLC -> new Lblc(servers, state, RequestKey.of(spec.hashKey()), System::nanoTime);
            case LBLCR -> new Lblcr(servers, state, RequestKey.of(spec.hashKey()), System::nanoTime);
            case FIRST_AVAILABLE -> new FirstAvailable(servers, state);
        };
    }
}
