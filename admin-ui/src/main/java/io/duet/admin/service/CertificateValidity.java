package io.duet.admin.service;

import java.security.cert.X509Certificate;

/**
 * How near its end a certificate is, the one rule the certificates list and the alerts share: expired after
 * {@code notAfter}, expiring within {@link #EXPIRING_DAYS} days (the proxy's first expiry warning is also at 30).
 * Pure.
 */
final class CertificateValidity {
    /** A certificate ending within this many days is "expiring". */
    static final long EXPIRING_DAYS = 30;
    static final long DAY_MILLIS = 86_400_000L;

    private CertificateValidity() {
    }

    /** Whole days from {@code nowMillis} to the leaf's end (negative once it ended). */
    static long daysLeft(X509Certificate leaf, long nowMillis) {
        return (leaf.getNotAfter().getTime() - nowMillis) / DAY_MILLIS;
    }

    /** {@code expired}, {@code expiring} or {@code ok}. */
    static String status(long daysLeft) {
        return daysLeft < 0 ? "expired" : daysLeft < EXPIRING_DAYS ? "expiring" : "ok";
    }
}
