package io.duet.config.build;

import io.duet.config.Affinity;
import io.duet.config.BackendTls;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.Fallback;
import io.duet.config.HashKey;
import io.duet.config.HealthCheck;
import io.duet.config.OutlierDetection;
import io.duet.config.Pool;
import io.duet.config.Resolve;
import io.duet.config.Server;
import io.duet.config.ServerLimit;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Pool}; servers are kept in the order they are added. */
public final class PoolBuilder {
    private final String name;
    private String balancer;
    private final List<Server> servers = new ArrayList<>();
    private Long connectTimeoutMs;
    private Integer maxConnectionsPerServer;
    private Affinity affinity;
    private HealthCheck healthCheck;
    private OutlierDetection outlierDetection;
    private Long slowStartMs;
    private Integer panicThresholdPercent;
    private Fallback fallback;
    private HashKey hashKey;
    private ServerLimit serverLimit;
    private BackendTls tls;
    private Resolve resolve;

    PoolBuilder(String name) {
        this.name = name;
    }

    public PoolBuilder balancer(BalancerAlgorithm algorithm) {
        this.balancer = algorithm.id();
        return this;
    }

    /** A balancer by its document name, known or not (for tests of the validator). */
    public PoolBuilder balancer(String id) {
        this.balancer = id;
        return this;
    }

    public PoolBuilder server(Server server) {
        servers.add(server);
        return this;
    }

    public PoolBuilder server(ServerBuilder server) {
        return server(server.build());
    }

    /** A server at {@code address:port} with every other field at its default. */
    public PoolBuilder server(String address, int port) {
        return server(new Server(address, port));
    }

    public PoolBuilder connectTimeoutMs(long value) {
        this.connectTimeoutMs = value;
        return this;
    }

    public PoolBuilder maxConnectionsPerServer(int value) {
        this.maxConnectionsPerServer = value;
        return this;
    }

    public PoolBuilder affinity(Affinity value) {
        this.affinity = value;
        return this;
    }

    public PoolBuilder healthCheck(HealthCheck value) {
        this.healthCheck = value;
        return this;
    }

    public PoolBuilder outlierDetection(OutlierDetection value) {
        this.outlierDetection = value;
        return this;
    }

    public PoolBuilder slowStartMs(long value) {
        this.slowStartMs = value;
        return this;
    }

    public PoolBuilder panicThresholdPercent(int value) {
        this.panicThresholdPercent = value;
        return this;
    }

    public PoolBuilder fallback(Fallback value) {
        this.fallback = value;
        return this;
    }

    public PoolBuilder hashKey(HashKey value) {
        this.hashKey = value;
        return this;
    }

    public PoolBuilder serverLimit(ServerLimit value) {
        this.serverLimit = value;
        return this;
    }

    public PoolBuilder tls(BackendTls value) {
        this.tls = value;
        return this;
    }

    public PoolBuilder resolve(Resolve value) {
        this.resolve = value;
        return this;
    }

    public Pool build() {
        return new Pool(name, balancer, servers, connectTimeoutMs, maxConnectionsPerServer, affinity, healthCheck,
                outlierDetection, slowStartMs, panicThresholdPercent, fallback, hashKey, serverLimit, tls, resolve);
    }
}
