package io.duet.config;

import java.util.List;

/**
 * How requests are forwarded: which peers are trusted proxies and which headers Duet writes.
 *
 * <p>From an untrusted peer, X-Forwarded-For/-Proto/-Host, X-Real-IP and Forwarded are replaced by Duet's
 * own values and the request id is generated. From a trusted proxy they are extended (X-Forwarded-For,
 * Forwarded) or kept (the others, and the request id).
 *
 * @param trustedProxies  CIDR blocks or single addresses of proxies in front of Duet
 * @param requestIdHeader header carrying the request id (default {@code X-Request-Id}); empty disables it
 * @param xForwarded      write X-Forwarded-For, -Proto, -Host (default on)
 * @param forwarded       write RFC 7239 Forwarded (default on)
 * @param xRealIp         write X-Real-IP (default on)
 * @param via             add a Via header naming Duet (default off)
 */
public record Forwarding(
        List<String> trustedProxies,
        String requestIdHeader,
        Boolean xForwarded,
        Boolean forwarded,
        Boolean xRealIp,
        Boolean via) {

    public static final String DEFAULT_REQUEST_ID_HEADER = "X-Request-Id";

    public Forwarding {
        trustedProxies = Lists.copy(trustedProxies);
        requestIdHeader = requestIdHeader == null ? DEFAULT_REQUEST_ID_HEADER : requestIdHeader;
        xForwarded = xForwarded == null || xForwarded;
        forwarded = forwarded == null || forwarded;
        xRealIp = xRealIp == null || xRealIp;
        via = via != null && via;
    }

    public static Forwarding defaults() {
        return new Forwarding(null, null, null, null, null, null);
    }
}
