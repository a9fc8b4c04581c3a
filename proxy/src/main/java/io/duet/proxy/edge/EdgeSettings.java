package io.duet.proxy.edge;

import io.duet.config.Limits;

/**
 * The limits one listener's edge enforces, unboxed from {@link Limits} once at bind time.
 */
record EdgeSettings(
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        long headerTimeoutMs,
        long bodyTimeoutMs,
        long minBodyBytesPerSecond,
        EdgeEvents events,
        AddressDrains drains) {

    static EdgeSettings of(Limits limits, EdgeEvents events) {
        return of(limits, events, null);
    }

    /** With {@code drains}: connections to the VIPs are registered there (null: none). */
    static EdgeSettings of(Limits limits, EdgeEvents events, AddressDrains drains) {
        return new EdgeSettings(limits.maxRequestLineBytes(), limits.maxHeaderBytes(), limits.maxHeaderCount(),
                limits.maxBodyBytes(), limits.headerTimeoutMs(), limits.bodyTimeoutMs(),
                limits.minBodyBytesPerSecond(), events == null ? EdgeEvents.NOOP : events, drains);
    }
}
