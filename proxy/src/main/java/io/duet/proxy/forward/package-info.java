/**
 * Duet's own HTTP/1.1 forwarder: from a routed exchange to a backend server and back.
 *
 * <ul>
 *   <li>{@link io.duet.proxy.forward.Forwarder}: the route's handler; runs the forwarding header rules
 *       ({@link io.duet.proxy.forward.ForwardingHeaders}) and starts one {@link io.duet.proxy.forward.ForwardState}
 *       per request.</li>
 *   <li>The per-request state machine, one object in four layers, each its own class:
 *       {@link io.duet.proxy.forward.ServerChoice} (affinity's decision or the balancer, the serverLimit slot or the
 *       pool's queue, a keep-alive connection of the exchange's I/O thread from
 *       {@link io.duet.proxy.pool.ServerConnections}, retries after a failed connect),
 *       {@link io.duet.proxy.forward.RequestWriter} (the request head and streamed body),
 *       {@link io.duet.proxy.forward.ResponseReader} (the response head, {@link io.duet.proxy.forward.ResponseHead},
 *       and body: Content-Length, {@link io.duet.proxy.http1.ChunkedDecoder}, or until close) and
 *       {@link io.duet.proxy.forward.ForwardState} (failures, timeouts with
 *       {@link io.duet.proxy.forward.ResponseDeadlines}, the end of the exchange). An upgrade becomes a
 *       {@link io.duet.proxy.forward.Tunnel}.</li>
 *   <li>{@link io.duet.proxy.forward.ForwardFailure}: why forwarding failed, which decides the error page
 *       ({@link io.duet.proxy.response.ErrorResponses} writes it).</li>
 * </ul>
 *
 * <p>Threads: everything runs on the exchange's I/O thread and never blocks; a backend connection belongs to one I/O
 * thread for its whole life. Hot-path allocation is one state object per request plus the response's header
 * strings.
 */
package io.duet.proxy.forward;
