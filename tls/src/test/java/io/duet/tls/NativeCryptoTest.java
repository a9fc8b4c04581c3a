package io.duet.tls;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native provider is installed first and serves what TLS spends its time on; a second install changes nothing.
 * Linux x86-64 only (what is packaged); elsewhere the node falls back to the JDK's providers, which this test skips.
 */
class NativeCryptoTest {
    @Test
    void installedFirstAndServesTheTlsAlgorithms() throws Exception {
        assumeTrue("amd64".equals(System.getProperty("os.arch")) && System.getProperty("os.name").contains("Linux"),
                "the native provider is packaged for Linux x86-64 only");
        String installed = NativeCrypto.install();
        assertThat(installed).startsWith("AmazonCorrettoCryptoProvider ");
        assertThat(NativeCrypto.install()).as("a second call").isEqualTo(installed);
        assertThat(Security.getProviders()[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(Security.getProviders()).extracting(java.security.Provider::getName)
                .filteredOn("AmazonCorrettoCryptoProvider"::equals).hasSize(1);

        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName())
                .isEqualTo("AmazonCorrettoCryptoProvider");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        var pair = ec.generateKeyPair();
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(pair.getPrivate());
        sign.update(new byte[]{1, 2, 3});
        byte[] signature = sign.sign();
        assertThat(sign.getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        // A signature made natively verifies with the JDK's own implementation: the same algorithm, not a lookalike.
        Signature verify = Signature.getInstance("SHA256withECDSA", "SunEC");
        verify.initVerify(pair.getPublic());
        verify.update(new byte[]{1, 2, 3});
        assertThat(verify.verify(signature)).isTrue();
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(pair.getPrivate());
        assertThat(ecdh.getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }
}
