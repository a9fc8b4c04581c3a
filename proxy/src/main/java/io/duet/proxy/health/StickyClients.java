package io.duet.proxy.health;

/**
 * How many clients are bound to a server by session affinity, for the drain report. The affinity package provides
 * it ({@link HealthRegistry#stickyClients(StickyClients)}); until then the count is unknown (-1).
 *
 * <p>Called on any thread that asks for {@link HealthRegistry#status()}; must not block for long.
 */
@FunctionalInterface
public interface StickyClients {

    /** Clients bound to server {@code serverId} of pool {@code pool}, or -1 when unknown. */
    int count(String pool, String serverId);

    StickyClients UNKNOWN = (pool, serverId) -> -1;
}
