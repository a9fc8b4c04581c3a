package io.duet.testkit.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A throw-away certificate authority made in process with Bouncy Castle: a root or intermediate CA that issues leaf
 * certificates for names (EC P-256 or RSA 2048, SHA-256) with any validity period, and sub-CAs for chains. The
 * results come as {@link Issued} (PEM, KeyStore); the CA as PEM, a file, a trust store or a client SSLContext.
 *
 * <p>Thread-safe: it holds only immutable state and an atomic serial counter.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration CA_VALIDITY = Duration.ofDays(30);

    private final Issued ca;
    private final Path dir;

    private TestPki(Issued ca, Path dir) {
        this.ca = ca;
        this.dir = dir;
    }

    /** A root CA named {@code cn}, valid from an hour ago for 30 days, held in memory. */
    public static TestPki root(String cn) throws Exception {
        KeyPair pair = keyPair("ec");
        X509Certificate cert = sign(cn, cn, pair, null, pair.getPrivate(), true, List.of(), validFor(CA_VALIDITY));
        return new TestPki(new Issued(cert, pair.getPrivate(), List.of()), null);
    }

    /** A root CA "Duet Test CA" whose certificate is also written to {@code dir/ca.pem} (see {@link #caFile()}). */
    public static TestPki create(Path dir) throws Exception {
        TestPki pki = root("Duet Test CA");
        Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        return new TestPki(pki.ca, dir);
    }

    /** A CA named {@code cn} signed by this one; another call with the same name makes a foreign one. */
    public TestPki intermediate(String cn) throws Exception {
        KeyPair pair = keyPair("ec");
        X509Certificate cert = sign(cn, name(), pair, ca.certificate(), ca.key(), true, List.of(),
                validFor(CA_VALIDITY));
        return new TestPki(new Issued(cert, pair.getPrivate(), issuersBelow()), null);
    }

    /**
     * A leaf certificate with subject {@code CN=name}, valid from now for {@code days} days.
     *
     * @param keyType "ec" (P-256) or "rsa" (2048)
     * @param sans    subjectAltName entries, e.g. {@code DNS:www.a.test}, {@code IP:127.0.0.1}
     */
    public Issued issue(String name, String keyType, int days, String... sans) throws Exception {
        Instant now = Instant.now();
        return issue(name, keyType, now, now.plus(Duration.ofDays(days)), List.of(sans));
    }

    /** A server certificate for {@code dnsName} (its CN and only DNS name), valid from {@code from} to {@code until}. */
    public Issued leaf(String dnsName, Instant from, Instant until) throws Exception {
        return issue(dnsName, "ec", from, until, List.of("DNS:" + dnsName));
    }

    /** A server certificate for {@code dnsName}, valid from an hour ago for 20 days. */
    public Issued leaf(String dnsName) throws Exception {
        Instant now = Instant.now();
        return leaf(dnsName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(20)));
    }

    /** A server certificate for {@code dnsName} that expired a day ago. */
    public Issued expired(String dnsName) throws Exception {
        Instant now = Instant.now();
        return leaf(dnsName, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    }

    /** A server certificate for {@code dnsName} valid only from tomorrow. */
    public Issued notYetValid(String dnsName) throws Exception {
        Instant now = Instant.now();
        return leaf(dnsName, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
    }

    /** This CA's certificate and key. */
    public Issued ca() {
        return ca;
    }

    /** This CA's certificate as PEM. */
    public String caPem() {
        return ca.certificatePem();
    }

    /** The file {@code ca.pem} written by {@link #create(Path)}. */
    public Path caFile() {
        if (dir == null) {
            throw new IllegalStateException("this CA was not made with create(dir)");
        }
        return dir.resolve("ca.pem");
    }

    /** The directory given to {@link #create(Path)}, where tests keep files made from this CA's certificates. */
    public Path dir() {
        caFile();
        return dir;
    }

    /** A PKCS#12 trust store holding only this CA's certificate. */
    public KeyStore trustStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        return ks;
    }

    /** A client SSLContext trusting only this CA. */
    public SSLContext clientContext() throws Exception {
        return TrustOnly.context(ca.certificate());
    }

    private Issued issue(String cn, String keyType, Instant from, Instant until, List<String> sans) throws Exception {
        KeyPair pair = keyPair(keyType);
        X509Certificate cert = sign(cn, name(), pair, ca.certificate(), ca.key(), false, sans,
                new Instant[]{from, until});
        return new Issued(cert, pair.getPrivate(), issuersBelow());
    }

    private List<X509Certificate> issuersBelow() {
        List<X509Certificate> issuers = new ArrayList<>();
        issuers.add(ca.certificate());
        issuers.addAll(ca.issuers());
        return issuers;
    }

    private String name() {
        return ca.certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static Instant[] validFor(Duration d) {
        Instant now = Instant.now();
        return new Instant[]{now.minus(Duration.ofHours(1)), now.plus(d)};
    }

    private static KeyPair keyPair(String keyType) throws Exception {
        if (keyType.equals("rsa")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        if (!keyType.equals("ec")) {
            throw new IllegalArgumentException("key type ec or rsa: " + keyType);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String cn, String issuerCn, KeyPair subject, X509Certificate issuer,
                                        PrivateKey issuerKey, boolean ca, List<String> sans, Instant[] validity)
            throws Exception {
        JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(validity[0]), Date.from(validity[1]),
                new X500Name("CN=" + cn), subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        // Key identifiers as openssl writes them: chains of CAs with the same name still resolve.
        b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subject.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                ? ids.createAuthorityKeyIdentifier(subject.getPublic()) : ids.createAuthorityKeyIdentifier(issuer));
        if (!sans.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                if (san.startsWith("DNS:")) {
                    names.add(new GeneralName(GeneralName.dNSName, san.substring(4)));
                } else if (san.startsWith("IP:")) {
                    names.add(new GeneralName(GeneralName.iPAddress, san.substring(3)));
                } else {
                    throw new IllegalArgumentException("subjectAltName DNS:... or IP:...: " + san);
                }
            }
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
        }
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }
}
