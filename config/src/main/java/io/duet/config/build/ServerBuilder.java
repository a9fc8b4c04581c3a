package io.duet.config.build;

import io.duet.config.Server;
import io.duet.config.ServerState;

/** Builds a {@link Server}: address and port, and what differs from the defaults (weight 1, primary, enabled). */
public final class ServerBuilder {
    private String id;
    private final String address;
    private final int port;
    private Integer weight;
    private Boolean backup;
    private String state;
    private String drainUntil;

    ServerBuilder(String address, int port) {
        this.address = address;
        this.port = port;
    }

    /** The id metrics and affinity name the server by (default: {@code address:port}). */
    public ServerBuilder id(String value) {
        this.id = value;
        return this;
    }

    public ServerBuilder weight(int value) {
        this.weight = value;
        return this;
    }

    /** Used only when no primary server of the pool is up. */
    public ServerBuilder backup() {
        this.backup = true;
        return this;
    }

    public ServerBuilder state(ServerState value) {
        this.state = value.wire();
        return this;
    }

    /** With {@link ServerState#DRAIN}: the ISO-8601 instant after which sticky clients are no longer sent. */
    public ServerBuilder drainUntil(String instant) {
        this.drainUntil = instant;
        return this;
    }

    public Server build() {
        return new Server(id, address, port, weight, backup, state, drainUntil);
    }
}
