package io.duet.proxy.health;

import io.duet.config.HealthCheck;

/**
 * One kind of active check. {@link #check} runs on a {@code duet-health-*} thread, may block, and returns within
 * the check's timeout (plus scheduling slack); it never throws.
 */
interface Probe {

    /** Checks {@code host:port} once; bounded by the check's timeout. */
    ProbeResult check(String host, int port);

    /** The probe a pool's check settings describe; HTTP checks of a TLS pool use the pool's TLS setting. */
    static Probe of(HealthCheck spec, io.duet.config.BackendTls poolTls) {
        return HealthCheck.TCP.equals(spec.type()) ? new TcpProbe(spec) : new HttpProbe(spec, poolTls);
    }
}
