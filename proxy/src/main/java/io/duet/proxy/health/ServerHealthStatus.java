package io.duet.proxy.health;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one server's health for operators (admin UI, REST, tests).
 *
 * @param pool           pool name
 * @param server         server id ({@code id#n} for the n-th server a host name expands to)
 * @param address        the address as the document gives it: an IP address or a host name
 * @param port           port
 * @param state          summary state
 * @param available      takes new requests
 * @param acceptsSticky  clients bound to it by affinity may still be sent to it
 * @param weightFactor   share of its weight it gets now (slow start), 0-1
 * @param reason         why it is in this state
 * @param since          when it entered this state
 * @param lastProbes     the last active check results, oldest first (empty without active checks)
 * @param activeRequests requests in flight on it now
 * @param stickyClients  clients bound to it by affinity, -1 when unknown
 * @param ejections      ejections by outlier detection since it joined the configuration
 * @param resolvedAddress the IP address traffic and checks use now; null when a server given by name has none
 * @param resolvedAt      when a lookup last gave or confirmed it; null for a server given by IP address
 * @param resolveError    why the last lookup of the name failed (the last good address is kept for the pool's
 *                        {@code resolve.holdOnFailureMs}), or null
 */
public record ServerHealthStatus(String pool, String server, String address, int port, HealthState state,
                                 boolean available, boolean acceptsSticky, double weightFactor, String reason,
                                 Instant since, List<ProbeResult> lastProbes, int activeRequests, int stickyClients,
                                 long ejections, String resolvedAddress, Instant resolvedAt, String resolveError) {
    public ServerHealthStatus {
        lastProbes = List.copyOf(lastProbes);
    }

    /** True when the server may be removed from the configuration without cutting anyone off. */
    public boolean drained() {
        return !available && activeRequests == 0 && stickyClients <= 0;
    }
}
