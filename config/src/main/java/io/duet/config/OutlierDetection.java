package io.duet.config;

/**
 * Passive outlier detection: the forwarder's outcomes eject a failing server without waiting for active checks.
 * {@code consecutiveFailures} 5xx responses or connect failures in a row eject the server for
 * {@code baseEjectionMs} times the number of its recent ejections, at most {@code maxEjectionMs}; the multiplier
 * drops by one for every {@code baseEjectionMs} the server stayed in service. Never more than
 * {@code maxEjectionPercent} of the pool's servers are ejected at once.
 *
 * @param enabled             default true (the pool's {@code outlierDetection} object being present turns it on)
 * @param consecutiveFailures default 5
 * @param baseEjectionMs      default 30000
 * @param maxEjectionMs       default 300000
 * @param maxEjectionPercent  default 50
 */
public record OutlierDetection(Boolean enabled, Integer consecutiveFailures, Long baseEjectionMs, Long maxEjectionMs,
                               Integer maxEjectionPercent) {
    public OutlierDetection {
        enabled = enabled == null || enabled;
        consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
        baseEjectionMs = baseEjectionMs == null ? 30_000L : baseEjectionMs;
        maxEjectionMs = maxEjectionMs == null ? 300_000L : maxEjectionMs;
        maxEjectionPercent = maxEjectionPercent == null ? 50 : maxEjectionPercent;
    }

    /** Enabled, with every setting at its default. */
    public static OutlierDetection defaults() {
        return new OutlierDetection(null, null, null, null, null);
    }
}
