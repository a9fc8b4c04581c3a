package io.duet.testkit.tls;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;

import java.io.StringWriter;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A certificate made by {@link TestPki} with its private key and the CA certificates above it (nearest first, the
 * root last), and its forms as PEM and as a KeyStore. Immutable.
 */
public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> issuers) {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider(); // never registered globally

    public Issued {
        issuers = List.copyOf(issuers);
    }

    /** The certificate alone as PEM. */
    public String certificatePem() {
        return pem(List.of(certificate));
    }

    /** The certificate and its intermediates (not the root), as a server sends them, as PEM. */
    public String chainPem() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (!issuers.isEmpty()) {
            chain.addAll(issuers.subList(0, issuers.size() - 1));
        }
        return pem(chain);
    }

    /** The key as unencrypted PKCS#8 PEM. */
    public String keyPem() {
        return clearKey(key);
    }

    /** The key as encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2), as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}. */
    public String encryptedKeyPem(String passphrase) {
        return encryptedKey(key, passphrase);
    }

    /** A PKCS#12 KeyStore holding the key under {@code alias} with the full chain. */
    public KeyStore keyStore(String alias, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuers);
        ks.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
        return ks;
    }

    /** PEM blocks of the certificates, in the given order. */
    public static String pem(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** PEM blocks of the issued certificates (not their issuers), in the given order. */
    public static String pem(Issued... certificates) {
        return pem(java.util.Arrays.stream(certificates).map(Issued::certificate).toList());
    }

    /** A key as unencrypted PKCS#8 PEM. */
    public static String clearKey(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** A key as encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2). */
    public static String encryptedKey(PrivateKey key, String passphrase) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(
                    JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(passphrase.toCharArray()).build()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
