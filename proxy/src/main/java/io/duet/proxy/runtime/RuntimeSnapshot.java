package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.routing.HostTable;
import io.duet.proxy.routing.VirtualHostRoutes;
import io.undertow.util.AttachmentKey;

import java.util.Map;

/**
 * Everything a request needs, compiled from one configuration document. Immutable; a request takes the current
 * snapshot once when it starts and keeps it until it ends, whatever reloads happen meanwhile.
 *
 * @param config the document it was compiled from
 * @param hosts  virtual host lookup
 * @param pools  compiled pools by name
 */
public record RuntimeSnapshot(DuetConfig config, HostTable<VirtualHostRoutes> hosts, Map<String, BackendPool> pools) {
    /** The snapshot an exchange uses. */
    public static final AttachmentKey<RuntimeSnapshot> KEY = AttachmentKey.create(RuntimeSnapshot.class);

    public RuntimeSnapshot {
        pools = Map.copyOf(pools);
    }

    public long revision() {
        return config.revision();
    }
}
