package io.duet.config;

/**
 * Protects each server of a pool from more concurrent requests than it can take, as HAProxy's {@code maxconn} and
 * {@code timeout queue} do: a request that finds every candidate server at its limit waits in the pool's queue for
 * the first server to free a slot, and gets 503 when the queue is full or the wait exceeds the timeout.
 *
 * @param maxRequests    concurrent requests per server, at least 1 (no default: the object is absent when unlimited)
 * @param maxQueued      requests that may wait in the pool's queue (default 1024; 0: none wait, 503 at once)
 * @param queueTimeoutMs longest wait in the queue (default 5000)
 */
public record ServerLimit(Integer maxRequests, Integer maxQueued, Long queueTimeoutMs) {
    public static final int DEFAULT_MAX_QUEUED = 1024;
    public static final long DEFAULT_QUEUE_TIMEOUT_MS = 5_000;

    public ServerLimit {
        maxQueued = maxQueued == null ? DEFAULT_MAX_QUEUED : maxQueued;
        queueTimeoutMs = queueTimeoutMs == null ? DEFAULT_QUEUE_TIMEOUT_MS : queueTimeoutMs;
    }
}
