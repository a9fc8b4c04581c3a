package io.duet.testkit.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPkiTest {
    @TempDir
    Path dir;

    // A leaf under an intermediate validates up to the root; the chain PEM holds the leaf and the intermediate.
    @Test
    void chainsValidateToTheRoot() throws Exception {
        TestPki root = TestPki.root("Root");
        TestPki inter = root.intermediate("Inter");
        Issued leaf = inter.leaf("site.test");
        assertThat(leaf.issuers()).containsExactly(inter.ca().certificate(), root.ca().certificate());
        assertThat(leaf.chainPem()).isEqualTo(Issued.pem(leaf, inter.ca()));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root.ca().certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(
                List.of(leaf.certificate(), inter.ca().certificate())), params);
        assertThat(leaf.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly("site.test");
    }

    // Expired and not-yet-valid leaves say so; issue() takes key type, days and DNS and IP names.
    @Test
    void validityKeysAndNames() throws Exception {
        TestPki pki = TestPki.create(dir);
        assertThatThrownBy(() -> pki.expired("old.test").certificate().checkValidity())
                .isInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> pki.notYetValid("new.test").certificate().checkValidity())
                .isInstanceOf(CertificateNotYetValidException.class);
        Issued rsa = pki.issue("www", "rsa", 2, "DNS:www.a.test", "IP:127.0.0.1");
        assertThat(rsa.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(rsa.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=www");
        assertThat(rsa.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly("www.a.test", "127.0.0.1");
        assertThat(rsa.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(rsa.encryptedKeyPem("pw")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(pki.caFile())).isEqualTo(pki.caPem());
        KeyStore ks = rsa.keyStore("www", "pw".toCharArray());
        assertThat(ks.getCertificateChain("www")).hasSize(2);
        assertThat((X509Certificate) pki.trustStore().getCertificate("ca")).isEqualTo(pki.ca().certificate());
    }
}
