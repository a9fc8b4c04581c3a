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
 * <p>Hooks into forwarding (kept to two calls so a new forwarder can take them over): the forwarder calls
 * {@link io.duet.proxy.affinity.RouteAffinity#pick} instead of the balancer and stops when
 * {@link io.duet.proxy.affinity.RouteAffinity#answered} is true; the response side is a response-commit listener
 * that {@code pick} registers itself, which reads {@link io.duet.proxy.forward.ForwardState#failure()} to bind only
 * when a backend answered.
 *
 * <p>Threads: everything on the request path runs on I/O threads without blocking or locking on I/O
 * (ConcurrentHashMap reads and writes, one HMAC per insert-cookie request).
 */
package io.duet.proxy.affinity;
