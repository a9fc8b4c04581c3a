/**
 * Duet's own HTTP/1.1 forwarder: from a routed exchange to a backend server and back.
 *
 * <ul>
 *   <li>{@link io.duet.proxy.forward.Forwarder}: the route's handler; runs the forwarding header rules
 *       ({@link io.duet.proxy.forward.ForwardingHeaders}) and starts one {@link io.duet.proxy.forward.ForwardState}
 *       per request.</li>
 *   <li>{@link io.duet.proxy.forward.ForwardState}: the per-request state machine: server choice (affinity, balancer,
 *       serverLimit slot or the pool's queue), a keep-alive connection of the exchange's I/O thread
 *       ({@link io.duet.proxy.pool.ServerConnections}), the request head and streamed body, the response head
 *       ({@link io.duet.proxy.forward.ResponseHead}) and body (Content-Length, {@link
 *       io.duet.proxy.forward.ChunkedDecoder}, or until close), retries, timeouts
 *       ({@link io.duet.proxy.forward.ResponseDeadlines}) and the failure behind an error page ({@link io.duet.proxy.forward.ForwardFailure}, written by
 *       {@link io.duet.proxy.response.ErrorResponses}).</li>
 * </ul>
 *
 * <p>Threads: everything runs on the exchange's I/O thread and never blocks; a backend connection belongs to one I/O
 * thread for its whole life. Hot-path allocation is one state object per request plus the response's header
 * strings.
 */
package io.duet.proxy.forward;
