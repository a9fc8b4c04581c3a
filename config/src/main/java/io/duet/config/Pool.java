package io.duet.config;

import java.util.List;

/**
 * A backend pool.
 *
 * @param name                   unique name
 * @param balancer               one of {@link #BALANCERS} ({@link BalancerAlgorithm}); default {@code round-robin}
 * @param servers                at least one; backup servers are used only when no primary server is up
 * @param connectTimeoutMs       overrides {@link Limits#backendConnectTimeoutMs()}
 * @param maxConnectionsPerServer pooled keep-alive connections per server and I/O thread (default 64)
 * @param hashKey                the request key of {@code hash} (required), {@code lblc} and {@code lblcr}
 *                               (default: the uri); no default object: null means not set
 */
public record Pool(
        String name,
        String balancer,
        List<Server> servers,
        Long connectTimeoutMs,
        Integer maxConnectionsPerServer,
        HashKey hashKey) {

    public static final String ROUND_ROBIN = "round-robin";
    public static final String WEIGHTED_ROUND_ROBIN = "weighted-round-robin";
    public static final List<String> BALANCERS = BalancerAlgorithm.ids();
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SERVER = 64;

    public Pool {
        balancer = balancer == null ? ROUND_ROBIN : balancer;
        servers = Lists.copy(servers);
        maxConnectionsPerServer = maxConnectionsPerServer == null
                ? DEFAULT_MAX_CONNECTIONS_PER_SERVER : maxConnectionsPerServer;
    }

    public Pool(String name, String balancer, List<Server> servers) {
        this(name, balancer, servers, null, null, null);
    }

    public Pool(String name, String balancer, List<Server> servers, Long connectTimeoutMs,
                Integer maxConnectionsPerServer) {
        this(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, null);
    }
}
