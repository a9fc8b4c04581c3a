package io.duet.config;

import java.util.List;

/**
 * A backend pool.
 *
 * @param name                   unique name
 * @param balancer               one of {@link #BALANCERS} ({@link BalancerAlgorithm}); default {@code round-robin}
 * @param servers                at least one; backup servers are used only when no primary server is up
 * @param connectTimeoutMs       overrides {@link Limits#backendConnectTimeoutMs()}
 * @param maxConnectionsPerServer idle keep-alive connections kept per server and I/O thread (default 64); more are open
 *                                while requests need them, the surplus closes after 5 s idle
 * @param affinity               session affinity; absent: none (every request gets the balancer's pick)
 * @param healthCheck            active health check of the servers; none (default): servers count as up
 * @param outlierDetection       passive outlier detection; none (default): off
 * @param slowStartMs            a server that comes up ramps its weight from 10% to 100% over this window
 *                               (default 0: off)
 * @param panicThresholdPercent  when fewer than this share of the servers is available, balance over all of them
 *                               (default 0: off)
 * @param fallback               what to do when no server is available (default: 503)
 * @param hashKey                the request key of {@code hash} (required), {@code lblc} and {@code lblcr}
 *                               (default: the uri); no default object: null means not set
 * @param serverLimit            concurrent requests per server with a queue and its timeout (absent: unlimited)
 * @param tls                    TLS to the servers (default: plain HTTP)
 * @param resolve                how servers given by host name follow DNS (absent: {@link Resolve#defaults()};
 *                               see {@link #resolveSettings()})
 */
public record Pool(
        String name,
        String balancer,
        List<Server> servers,
        Long connectTimeoutMs,
        Integer maxConnectionsPerServer,
        Affinity affinity,
        HealthCheck healthCheck,
        OutlierDetection outlierDetection,
        Long slowStartMs,
        Integer panicThresholdPercent,
        Fallback fallback,
        HashKey hashKey,
        ServerLimit serverLimit,
        BackendTls tls,
        Resolve resolve) {

    public static final String ROUND_ROBIN = "round-robin";
    public static final String WEIGHTED_ROUND_ROBIN = "weighted-round-robin";
    public static final List<String> BALANCERS = BalancerAlgorithm.ids();
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SERVER = 64;

    public Pool {
        balancer = balancer == null ? ROUND_ROBIN : balancer;
        servers = Lists.copy(servers);
        maxConnectionsPerServer = maxConnectionsPerServer == null
                ? DEFAULT_MAX_CONNECTIONS_PER_SERVER : maxConnectionsPerServer;
        slowStartMs = slowStartMs == null ? 0L : slowStartMs;
        panicThresholdPercent = panicThresholdPercent == null ? 0 : panicThresholdPercent;
        tls = tls == null ? BackendTls.disabled() : tls;
    }

    public Pool(String name, String balancer, List<Server> servers, Long connectTimeoutMs,
                Integer maxConnectionsPerServer, Affinity affinity, HealthCheck healthCheck,
                OutlierDetection outlierDetection, Long slowStartMs, Integer panicThresholdPercent, Fallback fallback,
                HashKey hashKey, ServerLimit serverLimit, BackendTls tls) {
        this(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls, null);
    }

    /** The DNS settings in force: {@link #resolve()}, or the defaults when it is absent. */
    public Resolve resolveSettings() {
        return resolve == null ? Resolve.defaults() : resolve;
    }

    /** This pool with other DNS settings for its servers given by name. */
    public Pool withResolve(Resolve settings) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls, settings);
    }

    public Pool(String name, String balancer, List<Server> servers, Long connectTimeoutMs,
                Integer maxConnectionsPerServer, Affinity affinity, HealthCheck healthCheck,
                OutlierDetection outlierDetection, Long slowStartMs, Integer panicThresholdPercent, Fallback fallback,
                HashKey hashKey, ServerLimit serverLimit) {
        this(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, null);
    }

    /** This pool with TLS to its servers. */
    /** The same pool with other servers. */
    public Pool withServers(List<Server> newServers) {
        return new Pool(name, balancer, newServers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls, resolve);
    }

    /** This pool with another session affinity. */
    public Pool withAffinity(Affinity newAffinity) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, newAffinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls);
    }

    public Pool withTls(BackendTls backendTls) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, backendTls,
                resolve);
    }

    public Pool(String name, String balancer, List<Server> servers, Long connectTimeoutMs,
                Integer maxConnectionsPerServer) {
        this(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, null);
    }

    public Pool(String name, String balancer, List<Server> servers, Long connectTimeoutMs,
                Integer maxConnectionsPerServer, Affinity affinity) {
        this(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, null, null, null, null,
                null, null, null);
    }

    public Pool(String name, String balancer, List<Server> servers) {
        this(name, balancer, servers, null, null, null);
    }

    /** This pool with another per-server request limit. */
    public Pool withServerLimit(ServerLimit limit) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, limit, tls, resolve);
    }

    /** This pool with another balancing key. */
    public Pool withHashKey(HashKey key) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, key, serverLimit, tls, resolve);
    }

    /** This pool with other health settings (null keeps nothing: each argument replaces the field). */
    public Pool withHealth(HealthCheck healthCheck, OutlierDetection outlierDetection, Long slowStartMs,
                           Integer panicThresholdPercent, Fallback fallback) {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls, resolve);
    }
}
