package io.duet.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.duet.config.ValidationRun.hasControl;

/**
 * The rules of pools and their servers: names, ids, addresses, weights, administrative states, per-server
 * limits, backend TLS and the fallback; the balancer, health and affinity rules are called from here in document order.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class PoolRules {
    private PoolRules() {
    }

    static void pools(ValidationRun run, List<Pool> pools, Set<String> usedPools) {
        Map<String, String> names = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        for (Pool pool : pools) {
            if (pool != null && pool.fallback() != null && pool.fallback().pool() != null) {
                usedPools.add(pool.fallback().pool()); // a fallback pool is in use
            }
        }
        for (int i = 0; i < pools.size(); i++) {
            String p = "$.pools[" + i + "]";
            Pool pool = pools.get(i);
            if (pool == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "pools[" + i + "]", "a pool"));
                continue;
            }
            run.uniqueName(p, pool.name(), names, "pool names");
            BalancerRules.balancer(run, p, pool);
            servers(run, p, pool);
            if (pool.connectTimeoutMs() != null) {
                run.timeout(p + ".connectTimeoutMs", "connectTimeoutMs", pool.connectTimeoutMs());
            }
            run.range(p + ".maxConnectionsPerServer", "maxConnectionsPerServer", pool.maxConnectionsPerServer(),
                    1, 10_000, "1-10000");
            if (pool.affinity() != null) {
                AffinityRules.affinity(run, p + ".affinity", pool, cookies);
            }
            if (pool.name() != null && !pool.name().isBlank() && !usedPools.contains(pool.name())) {
                run.add(ConfigMessage.UNUSED_POOL.at(p, String.valueOf(pool.name())));
            }
            HealthRules.activeCheck(run, p, pool.healthCheck());
            HealthRules.outlierDetection(run, p, pool.outlierDetection());
            serverLimit(run, p, pool.serverLimit());
            backendTls(run, p, pool);
            HealthRules.slowStartAndPanic(run, p, pool);
            fallback(run, p, pool, pools);
            inService(run, p, pool);
            ResolveRules.check(run, p, pool);
        }
    }

    /** The servers of pool {@code pool} at {@code p}: at least one, not only backups, and each one's fields. */
    private static void servers(ValidationRun run, String p, Pool pool) {
        String poolName = String.valueOf(pool.name());
        if (pool.servers().isEmpty()) {
            run.add(ConfigMessage.POOL_NO_SERVER.at(p + ".servers", poolName));
        }
        Map<String, String> ids = new HashMap<>();
        boolean primary = false;
        for (int j = 0; j < pool.servers().size(); j++) {
            String sp = p + ".servers[" + j + "]";
            Server s = pool.servers().get(j);
            if (s == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(sp, "servers[" + j + "]", "a server with address and port"));
                continue;
            }
            primary |= !s.backup();
            if (s.id() != null) {
                if (s.id().isBlank()) {
                    run.add(ConfigMessage.MISSING.at(sp + ".id", "id", "a non-blank id, or none for address:port"));
                } else {
                    String first = ids.putIfAbsent(s.id(), sp);
                    if (first != null) {
                        run.add(ConfigMessage.DUPLICATE_NAME.at(sp + ".id", "id", s.id(), first,
                                "server ids within a pool"));
                    }
                }
            }
            run.address(sp + ".address", "address", s.address());
            if (s.port() == null) {
                run.add(ConfigMessage.MISSING.at(sp + ".port", "port", "1-65535"));
            } else {
                run.range(sp + ".port", "port", s.port(), 1, 65535, "1-65535");
            }
            run.range(sp + ".weight", "weight", s.weight(), 0, 256, "0-256");
            adminState(run, sp, s);
        }
        if (!pool.servers().isEmpty() && !primary && pool.servers().stream().anyMatch(Objects::nonNull)) {
            run.add(ConfigMessage.POOL_ONLY_BACKUP.at(p + ".servers", poolName));
        }
    }

    private static void adminState(ValidationRun run, String sp, Server s) {
        ServerState state = ServerState.from(s.state());
        if (state == null) {
            run.add(ConfigMessage.NOT_ONE_OF.at(sp + ".state", "state", s.state(),
                    String.join(", ", ServerState.wires())));
        }
        if (s.drainUntil() != null) {
            try {
                java.time.Instant.parse(s.drainUntil());
                if (state != ServerState.DRAIN) {
                    run.add(ConfigMessage.DRAIN_UNTIL_UNUSED.at(sp + ".drainUntil"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                run.add(ConfigMessage.INVALID_INSTANT.at(sp + ".drainUntil", "drainUntil", s.drainUntil()));
            }
        }
    }

    private static void serverLimit(ValidationRun run, String p, ServerLimit sl) {
        if (sl != null) {
            String lp = p + ".serverLimit";
            if (sl.maxRequests() == null) {
                run.add(ConfigMessage.MISSING.at(lp + ".maxRequests", "maxRequests",
                        "concurrent requests per server, 1-1000000"));
            } else {
                run.range(lp + ".maxRequests", "maxRequests", sl.maxRequests(), 1, 1_000_000, "1-1000000");
            }
            run.range(lp + ".maxQueued", "maxQueued", sl.maxQueued(), 0, 1_000_000, "0-1000000");
            run.timeout(lp + ".queueTimeoutMs", "queueTimeoutMs", sl.queueTimeoutMs());
        }
    }

    private static void backendTls(ValidationRun run, String p, Pool pool) {
        BackendTls bt = pool.tls();
        if (bt.enabled()) {
            if (bt.caBundle() != null && !bt.caBundle().contains("-----BEGIN CERTIFICATE-----")) {
                run.add(ConfigMessage.BACKEND_CA_NOT_PEM.at(p + ".tls.caBundle"));
            }
            if (bt.serverName() != null && HostName.virtualHostProblem(bt.serverName()) != null) {
                run.add(ConfigMessage.INVALID_HOSTNAME.at(p + ".tls.serverName", "serverName", bt.serverName(),
                        HostName.virtualHostProblem(bt.serverName())));
            }
            if (!bt.verify()) {
                run.add(ConfigMessage.BACKEND_TLS_UNVERIFIED.at(p + ".tls.verify", String.valueOf(pool.name())));
            }
        }
    }

    /** Exactly one of pool and respond; a fallback pool other than this one, known, without a fallback of its own. */
    private static void fallback(ValidationRun run, String p, Pool pool, List<Pool> pools) {
        Fallback fb = pool.fallback();
        if (fb != null) {
            String fp = p + ".fallback";
            if ((fb.pool() == null) == (fb.respond() == null)) {
                run.add(ConfigMessage.NOT_EXACTLY_ONE.at(fp, "fallback",
                        fb.pool() == null ? "none set" : "pool, respond set", "pool, respond"));
            } else if (fb.pool() != null) {
                Pool target = pools.stream().filter(Objects::nonNull).filter(x -> fb.pool().equals(x.name()))
                        .findFirst().orElse(null);
                if (fb.pool().equals(pool.name())) {
                    run.add(ConfigMessage.FALLBACK_SELF.at(fp + ".pool", fb.pool()));
                } else if (target == null) {
                    String known = pools.stream().filter(Objects::nonNull).map(Pool::name).filter(Objects::nonNull)
                            .collect(Collectors.joining(", "));
                    run.add(ConfigMessage.UNKNOWN_POOL.at(fp + ".pool", fb.pool(), known.isEmpty() ? "none" : known));
                } else if (target.fallback() != null) {
                    run.add(ConfigMessage.FALLBACK_NOT_FOLLOWED.at(fp + ".pool", fb.pool()));
                }
            } else {
                run.range(fp + ".respond.status", "status", fb.respond().status(), 200, 599, "200-599");
                if (hasControl(fb.respond().contentType())) {
                    run.add(ConfigMessage.CONTROL_CHARACTER.at(fp + ".respond.contentType", "contentType"));
                }
            }
        }
    }

    /** Warns when every server of the pool is drained or in maintenance. */
    private static void inService(ValidationRun run, String p, Pool pool) {
        if (!pool.servers().isEmpty() && pool.servers().stream()
                .map(s -> s == null ? null : ServerState.from(s.state()))
                .allMatch(state -> state != null && !state.inService())) {
            run.add(ConfigMessage.NO_SERVER_IN_SERVICE.at(p + ".servers", String.valueOf(pool.name())));
        }
    }
}
