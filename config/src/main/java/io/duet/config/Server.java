package io.duet.config;

/**
 * A backend server.
 *
 * @param id      stable id, unique within the pool; affinity cookies and metrics name servers by it
 *                (default {@code address:port})
 * @param address IP address or host name (resolved when the snapshot is built)
 * @param port    1-65535
 * @param weight  0-256 (default 1); 0 takes no new requests
 * @param backup  used only when no primary server of the pool is up
 */
public record Server(String id, String address, Integer port, Integer weight, Boolean backup) {
    public Server {
        weight = weight == null ? 1 : weight;
        backup = backup != null && backup;
        if (id == null && address != null && port != null) {
            id = address + ":" + port;
        }
    }

    public Server(String address, int port) {
        this(null, address, port, null, null);
    }
}
