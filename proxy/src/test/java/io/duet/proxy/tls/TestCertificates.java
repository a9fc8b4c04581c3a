package io.duet.proxy.tls;

import io.duet.config.TlsCertificate;
import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;

/** Certificates of the test kit's {@link TestPki} as the configuration's {@link TlsCertificate}; stateless. */
final class TestCertificates {
    private TestCertificates() {
    }

    /** A leaf from {@code pki} (see {@link TestPki#issue}) as a certificate named {@code name}: PEM and clear key. */
    static TlsCertificate issue(TestPki pki, String name, String keyType, int days, String... sans) throws Exception {
        Issued issued = pki.issue(name, keyType, days, sans);
        return new TlsCertificate(name, issued.certificatePem(), issued.keyPem());
    }
}
