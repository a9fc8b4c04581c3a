package io.duet.config;

import java.util.List;

/**
 * PROXY protocol (v1 text and v2 binary) on a listener, for installs behind an L4 balancer.
 *
 * <p>When enabled, a connection from a peer inside {@code trustedAddresses} must start with a PROXY header
 * and the client address it carries becomes the request's client address. Connections from any other peer
 * are plain HTTP: a PROXY header from them is bad input (400, closed).
 *
 * @param enabled          off by default
 * @param trustedAddresses CIDR blocks or single addresses ({@code 10.0.0.0/8}, {@code ::1})
 */
public record ProxyProtocol(Boolean enabled, List<String> trustedAddresses) {
    public ProxyProtocol {
        enabled = enabled != null && enabled;
        trustedAddresses = Lists.copy(trustedAddresses);
    }

    public static ProxyProtocol disabled() {
        return new ProxyProtocol(false, List.of());
    }
}
