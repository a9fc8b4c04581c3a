package io.duet.config;

/**
 * What a pool does when none of its servers is available: forward to another pool, or answer a fixed response (a
 * maintenance page). Exactly one of the two. Without a fallback the client gets 503.
 *
 * @param pool    another pool (its own fallback is not followed)
 * @param respond a fixed response, e.g. status 503 with a maintenance page
 */
public record Fallback(String pool, FixedResponse respond) {
}
