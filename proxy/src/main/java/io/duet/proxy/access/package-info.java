/**
 * Access control by client address (issue 20): address lists compiled into {@link io.duet.proxy.access.AddressSet}s
 * (sorted disjoint ranges, binary search, IPv4 and IPv6 apart), the access rules of listeners and routes
 * ({@link io.duet.proxy.access.AccessPolicy}: allow, deny, and deny, tarpit or redirect for a refused client), and
 * the bounded {@link io.duet.proxy.access.Tarpit}. The client's address is the real one forwarding defines
 * ({@code ForwardingHeaders.realClient}: after the PROXY protocol and a trusted proxy's X-Forwarded-For), which the
 * root handler puts in the request's context before the listener's rule and routing read it.
 *
 * <p>Threads: everything is compiled once per snapshot on the reload thread ({@link io.duet.proxy.access.AccessTable});
 * on I/O threads a decision is a binary search or two and never blocks; a tarpit is a task scheduled on the
 * exchange's I/O thread. docs/access-control.md is the operators' description.
 */
package io.duet.proxy.access;
