package io.duet.proxy.health;

import java.util.List;

/**
 * A snapshot of one pool's health.
 *
 * @param pool      pool name
 * @param panic     true while fewer servers than the panic threshold are available
 * @param available servers taking new requests
 * @param servers   every server of the pool, in document order
 */
public record PoolHealthStatus(String pool, boolean panic, int available, List<ServerHealthStatus> servers) {
    public PoolHealthStatus {
        servers = List.copyOf(servers);
    }

    /** The server with this id, or {@code null}. */
    public ServerHealthStatus server(String id) {
        return servers.stream().filter(s -> s.server().equals(id)).findFirst().orElse(null);
    }
}
