package io.duet.proxy.health;

import java.time.Instant;

/**
 * The result of one active check.
 *
 * @param at        when the check ended
 * @param ok        true when it passed
 * @param detail    what was seen, for operators: {@code HTTP 200}, {@code connection refused}, {@code timeout after 1000 ms}
 * @param latencyMs how long the check took
 */
public record ProbeResult(Instant at, boolean ok, String detail, long latencyMs) {
    @Override
    public String toString() {
        return (ok ? "ok " : "FAIL ") + detail + " (" + latencyMs + " ms)";
    }
}
