package io.duet.config;

/**
 * A backend server.
 *
 * @param id         stable id, unique within the pool; affinity cookies and metrics name servers by it
 *                   (default {@code address:port})
 * @param address    IP address or host name (resolved when the snapshot is built)
 * @param port       1-65535
 * @param weight     0-256 (default 1); 0 takes no new requests
 * @param backup     used only when no primary server of the pool is up
 * @param state      administrative state ({@link ServerState}): {@code enabled} (default), {@code drain} (no new clients; clients
 *                   bound to it by affinity keep coming until {@code drainUntil}) or {@code maintenance} (out now)
 * @param drainUntil with {@code drain}: an ISO-8601 instant (e.g. {@code 2030-01-01T12:00:00Z}) after which sticky
 *                   clients are no longer sent either; none: they are kept until the state changes
 */
public record Server(String id, String address, Integer port, Integer weight, Boolean backup, String state,
                     String drainUntil) {
    public static final String ENABLED = "enabled";
    public static final String DRAIN = "drain";
    public static final String MAINTENANCE = "maintenance";
    /** The states a document may use: {@link ServerState#wires()}. */
    public static final java.util.List<String> STATES = ServerState.wires();

    public Server {
        weight = weight == null ? 1 : weight;
        backup = backup != null && backup;
        state = state == null ? ENABLED : state;
        if (id == null && address != null && port != null) {
            id = address + ":" + port;
        }
    }

    public Server(String id, String address, Integer port, Integer weight, Boolean backup) {
        this(id, address, port, weight, backup, null, null);
    }

    public Server(String address, int port) {
        this(null, address, port, null, null);
    }

    /** This server with another administrative state. */
    public Server withState(String state, String drainUntil) {
        return new Server(id, address, port, weight, backup, state, drainUntil);
    }
}
