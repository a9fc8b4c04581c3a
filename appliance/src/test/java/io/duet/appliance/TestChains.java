package io.duet.appliance;

import io.duet.tls.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for tests, made with Bouncy Castle: a root CA, intermediates and server leaves (EC P-256, SHA-256),
 * with any validity period, and their keys as PEM (clear or encrypted PKCS#8).
 */
final class TestChains {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider(); // never registered globally
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its private key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private TestChains() {
    }

    /** A self-signed CA certificate. */
    static Issued root(String cn) throws Exception {
        KeyPair pair = keyPair();
        return new Issued(sign(cn, cn, pair, pair.getPrivate(), true, null, validFor(Duration.ofDays(30))),
                pair.getPrivate());
    }

    /** A CA certificate signed by {@code issuer}; another call with the same names makes a foreign one. */
    static Issued intermediate(Issued issuer, String cn) throws Exception {
        KeyPair pair = keyPair();
        return new Issued(sign(cn, name(issuer), pair, issuer.key(), true, null, validFor(Duration.ofDays(30))),
                pair.getPrivate());
    }

    /** A server certificate for {@code dnsName}, valid from {@code from} to {@code until}. */
    static Issued leaf(Issued issuer, String dnsName, Instant from, Instant until) throws Exception {
        KeyPair pair = keyPair();
        return new Issued(sign(dnsName, name(issuer), pair, issuer.key(), false, dnsName, new Instant[]{from, until}),
                pair.getPrivate());
    }

    static Issued leaf(Issued issuer, String dnsName) throws Exception {
        Instant now = Instant.now();
        return leaf(issuer, dnsName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(20)));
    }

    /** PEM blocks of the certificates, in the given order. */
    static String pem(Issued... certificates) {
        return Pem.certificates(java.util.Arrays.stream(certificates).map(Issued::certificate).toList());
    }

    /** The key as unencrypted PKCS#8 PEM. */
    static String clearKey(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key as encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2), as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}. */
    static String encryptedKey(PrivateKey key, String passphrase) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(
                    JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(passphrase.toCharArray()).build()));
        }
        return out.toString();
    }

    private static String name(Issued issuer) {
        return issuer.certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static Instant[] validFor(Duration d) {
        Instant now = Instant.now();
        return new Instant[]{now.minus(Duration.ofHours(1)), now.plus(d)};
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String cn, String issuerCn, KeyPair subject, PrivateKey issuerKey,
                                        boolean ca, String dnsName, Instant[] validity) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(validity[0]), Date.from(validity[1]),
                new X500Name("CN=" + cn), subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (dnsName != null) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
