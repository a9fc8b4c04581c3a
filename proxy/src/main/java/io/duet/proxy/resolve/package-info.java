/**
 * Servers given by host name follow DNS: {@link io.duet.proxy.resolve.NameResolution} looks each name up again every
 * {@code pools[].resolve.intervalMs} and writes the answer into one {@link io.duet.proxy.resolve.ServerAddress} per
 * server, the one place forwarding and active health checks read a server's address from. A name may expand to
 * several servers, one per address ({@code resolve.maxAddresses}, as HAProxy's {@code server-template}).
 *
 * <p>Threads: lookups block, so they run only on the {@code duet-resolve-N} daemon threads (two); I/O threads read a
 * server's address with one volatile read; listeners of an address change (connection pools drain the old address,
 * health resets the server) run on the resolver thread and must not block. Log ids {@code DUET-PROXY-0960..0969}
 * are listed in proxy/ERRORS.md.
 */
package io.duet.proxy.resolve;
