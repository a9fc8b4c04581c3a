package io.duet.tls;

import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster CA: a CA certificate, member certificates for both TLS roles naming the node and its address. */
class ClusterAuthorityTest {
    // A member certificate is issued by the CA, usable as server and client, names the node id and its address, and
    // a certificate from another cluster's CA is not recognised.
    @Test
    void issuesMemberCertificates() throws Exception {
        ClusterAuthority ca = ClusterAuthority.create("c1", Clock.systemUTC());
        X509Certificate root = ca.certificate();
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(root.getSubjectX500Principal().getName()).contains("Duet cluster CA c1");

        ClusterAuthority.Member m = ca.issue("proxy-a", List.of("10.0.0.11", "proxy-a.lan"), Clock.systemUTC());
        m.certificate().verify(root.getPublicKey());
        assertThat(ca.issued(m.certificate())).isTrue();
        assertThat(m.ca()).isEqualTo(root);
        assertThat(m.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(m.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        List<Object> names = new java.util.ArrayList<>();
        for (List<?> san : m.certificate().getSubjectAlternativeNames()) {
            names.add(san.get(1));
        }
        assertThat(names).containsExactlyInAnyOrder("proxy-a", "10.0.0.11", "proxy-a.lan");
        assertThat(m.key().getAlgorithm()).isEqualTo("EC");

        ClusterAuthority other = ClusterAuthority.create("c2", Clock.systemUTC());
        assertThat(other.issued(m.certificate())).isFalse();
        assertThat(ca.issued(other.issue("x", List.of("127.0.0.1"), Clock.systemUTC()).certificate())).isFalse();
    }

    // A joining member sends only its public key; the certificate is for that key. The pin is the SHA-256 of the CA
    // certificate, stable for one CA and different for another.
    @Test
    void issuesForAGivenPublicKeyAndPinsTheCa() throws Exception {
        ClusterAuthority ca = ClusterAuthority.create("c1", Clock.systemUTC());
        java.security.KeyPair own = ClusterAuthority.newMemberKeyPair();
        X509Certificate c = ca.issue("b", own.getPublic(), List.of("192.0.2.2"), Clock.systemUTC());
        assertThat(c.getPublicKey()).isEqualTo(own.getPublic());
        assertThat(ca.issued(c)).isTrue();
        String pin = ClusterAuthority.pin(ca.certificate());
        assertThat(pin).matches("sha256:[0-9a-f]{64}").isEqualTo(ClusterAuthority.pin(ca.certificate()));
        assertThat(ClusterAuthority.pin(ClusterAuthority.create("c1", Clock.systemUTC()).certificate()))
                .isNotEqualTo(pin);
    }
}
