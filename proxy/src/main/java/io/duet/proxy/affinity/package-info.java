/**
 * Session affinity: keeps a client on the server it was sent to. The pool's affinity decides before the balancer
 * (a binding that names a server that still accepts sticky clients wins); otherwise the balancer picks and the
 * response binds the client.
 *
 * <p>Modes (one final class each behind {@link io.duet.proxy.affinity.Stickiness}): a signed insert cookie naming the
 * server by its stable id ({@link io.duet.proxy.affinity.InsertCookie}), a learned application cookie with its
 * {@code .jvmRoute} form ({@link io.duet.proxy.affinity.LearnedCookie}), and source-address or header persistence
 * ({@link io.duet.proxy.affinity.TableKeyed}). Bindings that need memory live in bounded
 * {@link io.duet.proxy.affinity.StickyTable}s kept across reloads by {@link io.duet.proxy.affinity.AffinityTables}.
 *
 * <p>Hooks into forwarding (kept small so a new forwarder can take them over): the forwarder calls
 * {@link io.duet.proxy.affinity.RouteAffinity#bind} once per request, then
 * {@link io.duet.proxy.affinity.RouteAffinity#decide} instead of the balancer on every attempt, and acts on the
 * {@link io.duet.proxy.affinity.AffinityDecision} (use the bound server, let the balancer pick, or refuse with 503):
 * affinity never answers the client. The response side is a response-commit listener that {@code bind} registers,
 * which asks the forwarder's {@link io.duet.proxy.affinity.ForwardOutcome} so it binds only when a backend answered.
 * This package does not depend on {@code io.duet.proxy.forward}.
 *
 * <p>Threads: everything on the request path runs on I/O threads without blocking or locking on I/O
 * (ConcurrentHashMap reads and writes, one HMAC per insert-cookie request).
 */
package io.duet.proxy.affinity;
