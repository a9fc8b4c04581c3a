package io.duet.proxy.tls;

import io.duet.config.TlsCertificate;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stand-in certificate import with the JDK alone, until the tls module (Bouncy Castle: PKCS#1, SEC1, encrypted
 * PKCS#8, PKCS#12, chain ordering, strength checks, keys encrypted at rest) replaces it. This is the only class
 * that parses certificate material: swap {@link #read} and nothing else changes.
 *
 * <p>Reads a PEM chain (leaf first) with {@link CertificateFactory} and an unencrypted PKCS#8 RSA or EC key with
 * {@link KeyFactory}, and checks that the key belongs to the leaf. Pure; any thread; may take a few milliseconds.
 */
public final class JdkPemReader {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private JdkPemReader() {
    }

    /**
     * Parses one certificate of the document.
     *
     * @throws IllegalArgumentException with a DUET-PROXY-0130 message naming the certificate and what to fix
     */
    public static LoadedCertificate read(TlsCertificate spec) {
        String name = spec.name();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> all = cf.generateCertificates(
                    new ByteArrayInputStream(spec.certificateChain().getBytes(StandardCharsets.US_ASCII)));
            for (Certificate c : all) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw fail(name, "certificateChain does not parse (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw fail(name, "certificateChain holds no certificate");
        }
        Matcher m = PKCS8.matcher(spec.privateKey() == null ? "" : spec.privateKey());
        if (!m.find()) {
            throw fail(name, "privateKey is not an unencrypted PKCS#8 PEM key (convert with: "
                    + "openssl pkcs8 -topk8 -nocrypt -in key.pem)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw fail(name, "privateKey is not valid base64");
        }
        X509Certificate leaf = chain.get(0);
        PrivateKey key = null;
        for (String alg : new String[]{"RSA", "EC"}) {
            try {
                key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        if (key == null) {
            throw fail(name, "privateKey is neither an RSA nor an EC PKCS#8 key");
        }
        if (!matches(key, leaf)) {
            throw fail(name, "privateKey does not belong to the first certificate of certificateChain (the leaf "
                    + "must come first)");
        }
        return new LoadedCertificate(name, chain, key, dnsNames(leaf), leaf.getNotAfter().toInstant());
    }

    private static boolean matches(PrivateKey key, X509Certificate leaf) {
        if (!key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] probe = "duet key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(leaf.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> dnsNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (names.isEmpty()) {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (Exception e) {
            // A certificate whose names cannot be read is served only as a default certificate.
        }
        return names;
    }

    private static IllegalArgumentException fail(String name, String what) {
        return new IllegalArgumentException("DUET-PROXY-0130 certificate '" + name + "': " + what
                + "; the revision was not applied");
    }
}
