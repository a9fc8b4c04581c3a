package io.duet.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The private certificate authority of one Duet cluster: members authenticate each other with certificates it
 * issued, and trust nothing else (no system roots). ECDSA P-256 throughout. Any thread; pure apart from key
 * generation.
 */
public final class ClusterAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The CA's validity: long, since replacing it means re-issuing every member. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** A member certificate's validity. */
    public static final Duration MEMBER_VALIDITY = Duration.ofDays(825);

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClusterAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A member's credentials: its key, its certificate, and the CA certificate it trusts. */
    public record Member(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    }

    /** Creates a new CA named after the cluster ("Duet cluster CA" plus the id). */
    public static ClusterAuthority create(String clusterId, Clock clock) {
        try {
            KeyPair pair = newPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Duet")
                    .addRDN(BCStyle.CN, "Duet cluster CA " + clusterId).build();
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name,
                    pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            return new ClusterAuthority(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(TlsMessage.CLUSTER_CA_FAILED.format(e.getMessage()), e);
        }
    }

    /** An existing CA (its key and certificate, e.g. loaded from the data directory). */
    public static ClusterAuthority of(PrivateKey key, X509Certificate certificate) {
        return new ClusterAuthority(key, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /**
     * Issues a member certificate: serverAuth and clientAuth (members are both), subject alternative names for the
     * node id (DNS) and every given host (IP literal or DNS name: the address peers dial, which TLS checks).
     */
    public Member issue(String nodeId, List<String> hosts, Clock clock) {
        KeyPair pair;
        try {
            pair = newPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TlsMessage.MEMBER_CERTIFICATE_FAILED.format(
                    "issuing the member certificate of " + nodeId, e.getMessage()), e);
        }
        return new Member(pair.getPrivate(), issue(nodeId, pair.getPublic(), hosts, clock), certificate);
    }

    /**
     * Issues a member certificate for a public key the member generated itself (a joining node: its private key
     * never leaves it). Same names and usages as {@link #issue(String, List, Clock)}.
     */
    public X509Certificate issue(String nodeId, PublicKey publicKey, List<String> hosts, Clock clock) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Duet")
                    .addRDN(BCStyle.CN, nodeId).build();
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    org.bouncycastle.asn1.x500.X500Name.getInstance(
                            certificate.getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(MEMBER_VALIDITY)), subject,
                    publicKey);
            List<GeneralName> sans = new ArrayList<>();
            sans.add(new GeneralName(GeneralName.dNSName, nodeId));
            for (String h : hosts) {
                sans.add(SelfSigned.isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h)
                        : new GeneralName(GeneralName.dNSName, h));
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(certificate));
            return sign(b, key);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(TlsMessage.MEMBER_CERTIFICATE_FAILED.format(
                    "issuing the member certificate of " + nodeId, e.getMessage()), e);
        }
    }

    /** A member key pair of the kind the CA issues for (ECDSA P-256). */
    public static KeyPair newMemberKeyPair() {
        try {
            return newPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TlsMessage.MEMBER_CERTIFICATE_FAILED.format("generating a member key",
                    e.getMessage()), e);
        }
    }

    /**
     * The pin of a CA certificate: {@code sha256:} and the hex SHA-256 of its DER encoding. A join token carries it,
     * so the joining node trusts the cluster it talks to without trusting anything else first.
     */
    public static String pin(X509Certificate ca) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(ca.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code member} was signed by this CA's key. */
    public boolean issued(X509Certificate member) {
        return verifies(member, certificate.getPublicKey());
    }

    private static boolean verifies(X509Certificate c, PublicKey by) {
        try {
            c.verify(by);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair newPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        return new BigInteger(1, serial);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey by)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(by)));
    }
}
