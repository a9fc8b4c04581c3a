package io.duet.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads certificate material the way operators have it and checks it: PEM certificate chains in any order, private
 * keys as PKCS#8, encrypted PKCS#8, PKCS#1 (RSA), SEC1 (EC) or legacy OpenSSL-encrypted PEM, RSA and EC; and
 * PKCS#12 files. Every problem found is reported at once ({@link TlsMaterialException#findings()}), each with its
 * {@code DUET-TLS-} id.
 *
 * <p>Pure functions of their arguments and the clock; any thread; an RSA key check costs a signature (about a
 * millisecond), so call them off I/O threads.
 */
public final class CertificateImport {
    /** How the validity period is judged. */
    public enum Validity {
        /** An expired or not yet valid certificate is an error: for new material (an upload, an import). */
        ENFORCE,
        /**
         * Only a warning: for a document already committed. Refusing it at the expiry date would stop the listener;
         * serving the expired certificate is what every proxy does, while the warnings ask for a renewal.
         */
        WARN
    }

    private static final Provider BC = new BouncyCastleProvider(); // used explicitly, never registered globally
    private static final Map<String, String> CURVES = Map.of(
            "1.2.840.10045.3.1.7", "P-256", "secp256r1", "P-256",
            "1.3.132.0.34", "P-384", "secp384r1", "P-384",
            "1.3.132.0.35", "P-521", "secp521r1", "P-521");

    private CertificateImport() {
    }

    /**
     * A PEM chain with its PEM private key.
     *
     * @param passphrase for an encrypted key; null or empty when the key is not encrypted
     * @throws TlsMaterialException with every problem found
     */
    public static CertifiedKey fromPem(String chainPem, String keyPem, char[] passphrase, Clock clock,
                                       Validity validity) {
        List<X509Certificate> certificates = readCertificates(chainPem);
        PrivateKey key = readPrivateKey(keyPem, passphrase);
        return check(certificates, key, clock, validity);
    }

    /**
     * A PKCS#12 file (.p12, .pfx) with one private key entry; other certificates in it are added to the chain.
     *
     * @throws TlsMaterialException with every problem found
     */
    public static CertifiedKey fromPkcs12(byte[] pkcs12, char[] password, Clock clock, Validity validity) {
        KeyStore store;
        char[] pw = password == null ? new char[0] : password;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), pw);
        } catch (IOException | GeneralSecurityException e) {
            throw TlsMessage.PKCS12_UNREADABLE.exception(e, rootMessage(e));
        }
        PrivateKey key = null;
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias) && key == null) {
                    key = (PrivateKey) store.getKey(alias, pw);
                    for (Certificate c : store.getCertificateChain(alias)) {
                        addOnce(certificates, (X509Certificate) c);
                    }
                } else if (store.isCertificateEntry(alias)) {
                    addOnce(certificates, (X509Certificate) store.getCertificate(alias));
                }
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw TlsMessage.PKCS12_UNREADABLE.exception(e, rootMessage(e));
        }
        if (key == null) {
            throw TlsMessage.PKCS12_NO_KEY.exception();
        }
        if (certificates.isEmpty()) {
            throw TlsMessage.NO_CERTIFICATE.exception();
        }
        return check(certificates, key, clock, validity);
    }

    /**
     * Every certificate of a PEM text, in the given order; text outside the blocks is ignored.
     *
     * @throws TlsMaterialException none found, or one does not parse
     */
    public static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        if (pem == null) {
            throw TlsMessage.NO_CERTIFICATE.exception();
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            int index = 0;
            while (true) {
                Object o;
                try {
                    o = parser.readObject();
                } catch (IOException | RuntimeException e) {
                    throw TlsMessage.CERTIFICATE_UNREADABLE.exception(e, index + 1, rootMessage(e));
                }
                if (o == null) {
                    break;
                }
                if (o instanceof X509CertificateHolder h) {
                    index++;
                    try {
                        out.add(converter.getCertificate(h));
                    } catch (GeneralSecurityException e) {
                        throw TlsMessage.CERTIFICATE_UNREADABLE.exception(e, index, rootMessage(e));
                    }
                }
            }
        } catch (IOException e) {
            throw TlsMessage.CERTIFICATE_UNREADABLE.exception(e, 1, rootMessage(e));
        }
        if (out.isEmpty()) {
            throw TlsMessage.NO_CERTIFICATE.exception();
        }
        return out;
    }

    /**
     * The first private key of a PEM text: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}, an
     * {@code EC PARAMETERS} block before it is skipped), or either of the last two with OpenSSL's legacy
     * {@code Proc-Type: 4,ENCRYPTED} headers.
     *
     * @throws TlsMaterialException no key, a passphrase needed or wrong, an unsupported algorithm
     */
    public static PrivateKey readPrivateKey(String pem, char[] passphrase) {
        if (pem == null) {
            throw TlsMessage.NO_PRIVATE_KEY.exception();
        }
        boolean havePassphrase = passphrase != null && passphrase.length > 0;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            while (true) {
                Object o;
                try {
                    o = parser.readObject();
                } catch (IOException | RuntimeException e) {
                    throw TlsMessage.NO_PRIVATE_KEY.exception(e);
                }
                if (o == null) {
                    throw TlsMessage.NO_PRIVATE_KEY.exception();
                }
                PrivateKeyInfo info;
                if (o instanceof PrivateKeyInfo p) {
                    info = p;
                } else if (o instanceof PEMKeyPair pair) {
                    info = pair.getPrivateKeyInfo();
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    if (!havePassphrase) {
                        throw TlsMessage.PASSPHRASE_REQUIRED.exception();
                    }
                    try {
                        info = encrypted.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
                    } catch (Exception e) {
                        throw TlsMessage.WRONG_PASSPHRASE.exception(e, rootMessage(e));
                    }
                } else if (o instanceof PEMEncryptedKeyPair encrypted) {
                    if (!havePassphrase) {
                        throw TlsMessage.PASSPHRASE_REQUIRED.exception();
                    }
                    try {
                        info = encrypted.decryptKeyPair(
                                new JcePEMDecryptorProviderBuilder().setProvider(BC).build(passphrase))
                                .getPrivateKeyInfo();
                    } catch (Exception e) {
                        throw TlsMessage.WRONG_PASSPHRASE.exception(e, rootMessage(e));
                    }
                } else if (o instanceof ASN1ObjectIdentifier || o instanceof X509CertificateHolder) {
                    continue; // EC PARAMETERS, or a certificate pasted with the key
                } else {
                    continue;
                }
                return toJdkKey(info, converter);
            }
        } catch (IOException e) {
            throw TlsMessage.NO_PRIVATE_KEY.exception(e);
        }
    }

    /** Converts to a key of the JDK's own providers (JSSE signs with them). */
    private static PrivateKey toJdkKey(PrivateKeyInfo info, JcaPEMKeyConverter converter) {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            default -> null;
        };
        if (algorithm == null) {
            throw TlsMessage.UNSUPPORTED_KEY.exception(describeOid(oid));
        }
        try {
            return java.security.KeyFactory.getInstance(algorithm)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            try {
                return converter.getPrivateKey(info); // e.g. an EC key with explicit curve parameters
            } catch (IOException e2) {
                throw TlsMessage.UNSUPPORTED_KEY.exception(e2, algorithm + " (" + rootMessage(e) + ")");
            }
        }
    }

    /**
     * Orders and checks a chain for a key: finds the leaf by the key, orders the rest issuer after subject, and
     * checks validity, strength, signatures and names.
     *
     * @throws TlsMaterialException with every error found
     */
    public static CertifiedKey check(List<X509Certificate> given, PrivateKey key, Clock clock, Validity validity) {
        List<Finding> findings = new ArrayList<>();
        String keyDescription = describe(key);
        if (!strongEnough(key)) {
            findings.add(TlsMessage.WEAK_KEY.finding(keyDescription));
        }
        X509Certificate leaf = null;
        for (X509Certificate c : given) {
            if (belongs(key, c.getPublicKey())) {
                leaf = c;
                break;
            }
        }
        if (leaf == null) {
            findings.add(TlsMessage.KEY_MISMATCH.finding(name(given.get(0))));
            throw new TlsMaterialException(errorsFirst(findings));
        }
        List<X509Certificate> chain = order(leaf, given, findings);
        if (!chain.equals(given) && chain.size() == given.size()) {
            findings.add(TlsMessage.REORDERED.finding(names(chain)));
        }
        Date now = Date.from(clock.instant());
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                Finding f = TlsMessage.EXPIRED.finding(name(c), c.getNotAfter().toInstant());
                findings.add(validity == Validity.ENFORCE ? f : f.asWarning());
            } catch (CertificateNotYetValidException e) {
                Finding f = TlsMessage.NOT_YET_VALID.finding(name(c), c.getNotBefore().toInstant());
                findings.add(validity == Validity.ENFORCE ? f : f.asWarning());
            }
            boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            String sig = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (!selfSigned && (sig.contains("SHA1") || sig.contains("MD5") || sig.contains("MD2"))) {
                findings.add(TlsMessage.WEAK_SIGNATURE.finding(name(c), c.getSigAlgName()));
            }
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.1") && !eku.contains("2.5.29.37.0")) {
                findings.add(TlsMessage.NOT_FOR_SERVERS.finding(name(leaf)));
            }
        } catch (CertificateParsingException e) {
            findings.add(TlsMessage.CERTIFICATE_UNREADABLE.finding(1, rootMessage(e)));
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        subjectAltNames(leaf, dns, ips);
        if (dns.isEmpty() && ips.isEmpty()) {
            findings.add(TlsMessage.NO_SUBJECT_ALT_NAMES.finding(name(leaf)));
            String cn = commonName(leaf.getSubjectX500Principal());
            if (cn != null) {
                dns.add(cn.toLowerCase(Locale.ROOT));
            }
        }
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new TlsMaterialException(errorsFirst(findings));
        }
        return new CertifiedKey(chain, key, dns, ips, keyDescription, findings);
    }

    /** Leaf first, then each certificate's issuer among the given ones; certificates left over are errors. */
    private static List<X509Certificate> order(X509Certificate leaf, List<X509Certificate> given,
                                               List<Finding> findings) {
        List<X509Certificate> chain = new ArrayList<>();
        List<X509Certificate> rest = new ArrayList<>(given);
        chain.add(leaf);
        rest.remove(leaf);
        X509Certificate current = leaf;
        while (!isSelfIssued(current)) {
            X509Certificate issuer = null;
            X509Certificate impostor = null;
            for (X509Certificate c : rest) {
                if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    if (verifies(current, c.getPublicKey())) {
                        issuer = c;
                        break;
                    }
                    impostor = c;
                }
            }
            if (issuer == null) {
                if (impostor != null) {
                    findings.add(TlsMessage.CHAIN_BROKEN.finding("certificate '" + name(current) + "' names '"
                            + name(impostor) + "' as its issuer, but the given '" + name(impostor)
                            + "' did not sign it (a different key of the same name): use the intermediate the CA "
                            + "issued with this certificate"));
                    rest.remove(impostor);
                }
                break;
            }
            if (issuer.getBasicConstraints() < 0) {
                findings.add(TlsMessage.INTERMEDIATE_NOT_CA.finding(name(issuer), name(current)));
            }
            chain.add(issuer);
            rest.remove(issuer);
            current = issuer;
        }
        if (!rest.isEmpty()) {
            findings.add(TlsMessage.CHAIN_BROKEN.finding("certificate(s) " + names(rest) + " are not part of the "
                    + "chain of '" + name(leaf) + "' (" + names(chain) + "): remove them, or add the intermediate "
                    + "that links them"));
        }
        return chain;
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c.getPublicKey());
    }

    private static boolean verifies(X509Certificate c, PublicKey issuerKey) {
        try {
            c.verify(issuerKey);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** True when {@code key} is the private half of {@code publicKey}: same RSA modulus, or a signature probe. */
    static boolean belongs(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (key instanceof RSAKey rk && publicKey instanceof RSAPublicKey rp) {
            return rk.getModulus().equals(rp.getModulus());
        }
        try {
            byte[] probe = "duet key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** {@code RSA 2048}, {@code EC P-256}, or the algorithm with what is known of its size. */
    public static String describe(PrivateKey key) {
        if (key instanceof RSAKey r) {
            return "RSA " + r.getModulus().bitLength();
        }
        if (key instanceof ECKey e) {
            String curve = curveName(e);
            return "EC " + (curve == null ? e.getParams().getOrder().bitLength() + "-bit (unnamed curve)" : curve);
        }
        return key.getAlgorithm();
    }

    private static boolean strongEnough(PrivateKey key) {
        if (key instanceof RSAKey r) {
            return r.getModulus().bitLength() >= 2048;
        }
        if (key instanceof ECKey e) {
            return curveName(e) != null;
        }
        return false;
    }

    private static String curveName(ECKey key) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(key.getParams());
            String n = p.getParameterSpec(ECGenParameterSpec.class).getName();
            return CURVES.get(n);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static void subjectAltNames(X509Certificate c, List<String> dns, List<String> ips) {
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) {
                return;
            }
            for (List<?> san : sans) {
                Object type = san.get(0);
                if (Integer.valueOf(2).equals(type)) {
                    dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                } else if (Integer.valueOf(7).equals(type)) {
                    ips.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        } catch (CertificateParsingException e) {
            // No usable names: reported as NO_SUBJECT_ALT_NAMES by the caller.
        }
    }

    private static String commonName(X500Principal p) {
        try {
            for (Rdn rdn : new LdapName(p.getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    /** The common name of a certificate's subject, else its whole subject: how messages name certificates. */
    static String name(X509Certificate c) {
        String cn = commonName(c.getSubjectX500Principal());
        return cn != null ? cn : c.getSubjectX500Principal().getName();
    }

    private static String names(List<X509Certificate> chain) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            if (b.length() > 0) {
                b.append(" -> ");
            }
            b.append(name(c));
        }
        return b.toString();
    }

    private static void addOnce(List<X509Certificate> list, X509Certificate c) {
        if (c != null && !list.contains(c)) {
            list.add(c);
        }
    }

    private static List<Finding> errorsFirst(List<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        findings.stream().filter(Finding::isError).forEach(out::add);
        findings.stream().filter(f -> !f.isError()).forEach(out::add);
        return out;
    }

    private static String describeOid(String oid) {
        return switch (oid) {
            case "1.2.840.10040.4.1" -> "DSA";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            default -> "algorithm " + oid;
        };
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
