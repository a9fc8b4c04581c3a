package io.duet.proxy.health;

import io.duet.config.HealthCheck;

import java.net.InetAddress;

/**
 * One kind of active check. {@link #check} runs on a {@code duet-health-*} thread, may block, and returns within
 * the check's timeout (plus scheduling slack); it never throws.
 */
interface Probe {

    /**
     * Checks the server once at {@code address} (the server's current address, the one traffic uses); {@code host}
     * is the server's address as the document gives it (a host name or an IP address), for the Host header and TLS
     * names. Bounded by the check's timeout; never looks a name up.
     */
    ProbeResult check(String host, InetAddress address, int port);

    /** The probe a pool's check settings describe; HTTP checks of a TLS pool use the pool's TLS setting. */
    static Probe of(HealthCheck spec, io.duet.config.BackendTls poolTls) {
        return HealthCheck.TCP.equals(spec.type()) ? new TcpProbe(spec) : new HttpProbe(spec, poolTls);
    }
}
