package io.duet.config;

import java.util.List;

/**
 * How a pool follows DNS for its servers given by host name, as HAProxy's {@code resolvers} and
 * {@code server-template} do. Servers given by IP address are never looked up. A pool without {@code resolve} uses
 * {@link #defaults()}.
 *
 * @param intervalMs      time between two lookups of a name (default 30000; at least 1000: a name is never looked up
 *                        more than once a second). DNS TTLs are not read: Java 17 does not expose them (HAProxy does
 *                        not use them either), so this interval governs
 * @param holdOnFailureMs how long failed lookups keep the last good address (default 300000: five minutes); checked at
 *                        each lookup; 0 drops the address at the first failed lookup. Afterwards the server is out of
 *                        service until a lookup succeeds
 * @param maxAddresses    servers a name expands to, one per address, named {@code id#1} to {@code id#N} (default 1:
 *                        the server keeps one address, the first of the answer, for as long as the answer contains it)
 * @param prefer          {@code ipv4} (default) or {@code ipv6}: when the answer holds addresses of this family, only
 *                        those are used (HAProxy's {@code resolve-prefer})
 */
public record Resolve(Long intervalMs, Long holdOnFailureMs, Integer maxAddresses, String prefer) {
    public static final long DEFAULT_INTERVAL_MS = 30_000;
    /** The shortest interval: a name is looked up at most once a second. */
    public static final long MIN_INTERVAL_MS = 1_000;
    public static final long DEFAULT_HOLD_ON_FAILURE_MS = 300_000;
    public static final int DEFAULT_MAX_ADDRESSES = 1;
    /** At most this many servers per name (the balancers' exclusion masks cover 64 servers per pool). */
    public static final int MAX_MAX_ADDRESSES = 64;
    public static final String IPV4 = "ipv4";
    public static final String IPV6 = "ipv6";
    public static final List<String> FAMILIES = List.of(IPV4, IPV6);
    /** Separates a server id from the number of the address it was expanded for ({@code api#2}). */
    public static final char SLOT_SEPARATOR = '#';

    private static final Resolve DEFAULTS = new Resolve(null, null, null, null);

    public Resolve {
        intervalMs = intervalMs == null ? DEFAULT_INTERVAL_MS : intervalMs;
        holdOnFailureMs = holdOnFailureMs == null ? DEFAULT_HOLD_ON_FAILURE_MS : holdOnFailureMs;
        maxAddresses = maxAddresses == null ? DEFAULT_MAX_ADDRESSES : maxAddresses;
        prefer = prefer == null ? IPV4 : prefer;
    }

    /** Every default: a lookup every 30 s, a failure held for 5 minutes, one address per server, IPv4 first. */
    public static Resolve defaults() {
        return DEFAULTS;
    }

    /** The id of the {@code slot}-th (from 1) server a name with more than one allowed address expands to. */
    public static String slotId(String serverId, int slot) {
        return serverId + SLOT_SEPARATOR + slot;
    }
}
