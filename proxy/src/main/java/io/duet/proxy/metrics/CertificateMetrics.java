package io.duet.proxy.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

import java.time.Instant;
import java.util.List;

/**
 * The metrics of one TLS certificate of the document, labelled {@code certificate="..."}:
 * {@code duet_certificate_expiry_seconds}, seconds until the leaf expires (negative once expired), computed when
 * read. Obtain with {@link ProxyMetrics#forCertificate}; {@link #notAfter} is set on every apply (rotation).
 */
public final class CertificateMetrics implements MetricBundle {
    private final List<String> names;
    private volatile Instant notAfter = Instant.EPOCH;

    CertificateMetrics(MetricRegistry registry, String certificate) {
        String name = MetricName.encode("duet_certificate_expiry_seconds", "certificate", certificate);
        registry.register(name, (Gauge<Long>) () -> notAfter.getEpochSecond() - Instant.now().getEpochSecond());
        names = List.of(name);
    }

    /** The end of the certificate's validity now in force. Configuration thread. */
    public void notAfter(Instant instant) {
        notAfter = instant;
    }

    @Override
    public List<String> metricNames() {
        return names;
    }
}
