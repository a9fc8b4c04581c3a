package io.duet.config;

import java.util.List;

/**
 * A port the data plane listens on.
 *
 * @param name          unique name, used in metrics and logs
 * @param address       bind address (default {@code 0.0.0.0})
 * @param port          1-65535; 0 only in tests (an ephemeral port)
 * @param protocol      {@code http} (default) or {@code https}
 * @param proxyProtocol accept the PROXY protocol (v1 and v2) from these peers (before the TLS handshake)
 * @param tls           certificates and protocol settings of {@code https} (default: none named, so the node's
 *                      self-signed certificate, and the defaults of {@link ListenerTls}); null for {@code http}
 * @param access        who may use the listener, by client address (checked before any route)
 * @param rateLimits    the names of the rate limits applied to every request of the listener, in order
 */
public record Listener(String name, String address, Integer port, String protocol, ProxyProtocol proxyProtocol,
                       ListenerTls tls, AccessRule access, List<String> rateLimits) {
    public Listener {
        rateLimits = Lists.copy(rateLimits);
        address = address == null ? "0.0.0.0" : address;
        protocol = protocol == null ? "http" : protocol;
        proxyProtocol = proxyProtocol == null ? ProxyProtocol.disabled() : proxyProtocol;
        if (tls == null && "https".equals(protocol)) {
            tls = new ListenerTls(null, null, null, null, null); // no certificate: the node's self-signed one
        }
    }

    public Listener(String name, String address, Integer port, String protocol, ProxyProtocol proxyProtocol,
                    ListenerTls tls) {
        this(name, address, port, protocol, proxyProtocol, tls, null, null);
    }

    public Listener(String name, String address, int port) {
        this(name, address, port, null, null, null);
    }

    public Listener(String name, String address, Integer port, String protocol, ProxyProtocol proxyProtocol) {
        this(name, address, port, protocol, proxyProtocol, null);
    }

    /** True for {@code protocol: https}. */
    public boolean https() {
        return "https".equals(protocol);
    }
}
