package io.duet.config;

import static io.duet.config.ValidationRun.isToken;
import static io.duet.config.ValidationRun.hasControl;

/**
 * The rules of a pool's balancer: a known algorithm, and what it needs from the request and the servers
 * (DUET-CONFIG-0110..0114).
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class BalancerRules {
    private BalancerRules() {
    }

    /** A known balancer, and what it needs. */
    static void balancer(ValidationRun run, String p, Pool pool) {
        if (!Pool.BALANCERS.contains(pool.balancer())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(p + ".balancer", "balancer", pool.balancer(),
                    String.join(", ", Pool.BALANCERS)));
        }
        needs(run, p, pool);
    }

    /** What the pool's balancer needs from the request and the servers (DUET-CONFIG-0110..0114). */
    private static void needs(ValidationRun run, String p, Pool pool) {
        BalancerAlgorithm algorithm = BalancerAlgorithm.byId(pool.balancer());
        if (algorithm == null) {
            return;
        }
        HashKey key = pool.hashKey();
        String kp = p + ".hashKey";
        if (key == null && algorithm.key() == BalancerAlgorithm.Key.REQUIRED) {
            run.add(ConfigMessage.HASH_KEY_REQUIRED.at(kp, String.valueOf(pool.name())));
        } else if (key != null && algorithm.key() == BalancerAlgorithm.Key.NONE) {
            run.add(ConfigMessage.HASH_KEY_IGNORED.at(kp, algorithm.id()));
        } else if (key != null) {
            if (key.source() == null) {
                run.add(ConfigMessage.MISSING.at(kp + ".source", "source", String.join(", ", HashKey.SOURCES)));
            } else if (!HashKey.SOURCES.contains(key.source())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(kp + ".source", "source", key.source(),
                        String.join(", ", HashKey.SOURCES)));
            } else if (HashKey.named(key.source())) {
                if (key.name() == null || key.name().isBlank()) {
                    run.add(ConfigMessage.HASH_KEY_NAME_REQUIRED.at(kp + ".name", key.source(), key.source()));
                } else if (!HashKey.QUERY.equals(key.source()) && !isToken(key.name())) {
                    run.add(ConfigMessage.INVALID_TOKEN.at(kp + ".name", "name", key.name(),
                            "a " + key.source() + " name such as X-User or session"));
                } else if (hasControl(key.name())) {
                    run.add(ConfigMessage.CONTROL_CHARACTER.at(kp + ".name", "name"));
                }
            } else if (key.name() != null) {
                run.add(ConfigMessage.HASH_KEY_NAME_IGNORED.at(kp + ".name", key.name(), key.source()));
            }
        }
        if (!algorithm.weighted()) {
            for (int j = 0; j < pool.servers().size(); j++) {
                Server s = pool.servers().get(j);
                if (s != null && s.weight() > 1 && s.weight() <= 256) {
                    run.add(ConfigMessage.WEIGHT_IGNORED.at(p + ".servers[" + j + "].weight", s.weight(),
                            algorithm.id(), algorithm == BalancerAlgorithm.LEAST_CONNECTIONS
                                    ? "weighted-least-connections" : "weighted-round-robin"));
                    break;
                }
            }
        }
    }
}
