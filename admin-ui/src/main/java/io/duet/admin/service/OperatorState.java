package io.duet.admin.service;

/**
 * A server taken out of service by an operator (drain, maintenance in the document), or a pool with no server up
 * only because of such states: shown by {@code GET /alerts} as state, apart from the failures.
 *
 * @param objectKind {@code server} or {@code pool}
 * @param scope      the pool of a server; null for a pool
 * @param name       the server's id or the pool's name
 * @param state      {@code drain} or {@code maintenance} (server), {@code out-of-service} (pool)
 * @param detail     what the health check says of it now (e.g. "draining: 3 active requests"), or null
 * @param since      when the server entered its live state, epoch milliseconds; -1: not known
 */
record OperatorState(String objectKind, String scope, String name, String state, String detail, long since) {
}
