package io.duet.admin.service;

import io.duet.config.DuetConfig;
import io.duet.config.TlsCertificate;
import io.duet.tls.CertificateImport;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The alerts of the document's certificates, by the rule of the certificates list ({@link CertificateValidity}):
 * {@code certificate-expired} (critical), {@code certificate-expiring} within 30 days (warning), and
 * {@code certificate-unreadable} (critical). Duet renews no certificate itself, so there is no renewal failure to
 * report. Pure.
 */
final class CertificateAlerts {
    private CertificateAlerts() {
    }

    static void collect(DuetConfig doc, long now, List<Alert> alerts) {
        for (TlsCertificate t : doc.certificates()) {
            if (t == null) {
                continue;
            }
            String name = t.name();
            X509Certificate leaf;
            try {
                leaf = CertificateImport.readCertificates(t.certificateChain()).get(0);
            } catch (RuntimeException e) {
                alerts.add(new Alert("certificate-unreadable:" + name, "certificate-unreadable", Alert.CRITICAL,
                        "certificate", null, name, "certificate '" + name + "' does not read: " + e.getMessage(), -1));
                continue;
            }
            long days = CertificateValidity.daysLeft(leaf, now);
            long end = leaf.getNotAfter().getTime();
            switch (CertificateValidity.status(days)) {
                case "expired" -> alerts.add(new Alert("certificate-expired:" + name, "certificate-expired",
                        Alert.CRITICAL, "certificate", null, name, "certificate '" + name + "' expired on "
                        + leaf.getNotAfter().toInstant() + ": clients refuse it", end));
                case "expiring" -> alerts.add(new Alert("certificate-expiring:" + name, "certificate-expiring",
                        Alert.WARNING, "certificate", null, name, "certificate '" + name + "' expires in " + days
                        + " day(s), on " + leaf.getNotAfter().toInstant() + ": replace it",
                        end - CertificateValidity.EXPIRING_DAYS * CertificateValidity.DAY_MILLIS));
                default -> {
                }
            }
        }
    }
}
