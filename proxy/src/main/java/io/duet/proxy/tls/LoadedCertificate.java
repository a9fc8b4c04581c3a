package io.duet.proxy.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate of the document, parsed: its chain (leaf first), the leaf's key, and the DNS names it covers.
 * Immutable; any thread.
 *
 * @param name     the document's name of the certificate (metrics label, SNI selection result)
 * @param chain    leaf first
 * @param key      the leaf's private key
 * @param dnsNames lower-case DNS names of the leaf (subject alternative names, else the subject CN); wildcards
 *                 as {@code *.example.com}
 * @param notAfter end of the leaf's validity
 */
public record LoadedCertificate(String name, List<X509Certificate> chain, PrivateKey key, List<String> dnsNames,
                                Instant notAfter) {
    public LoadedCertificate {
        chain = List.copyOf(chain);
        dnsNames = List.copyOf(dnsNames);
    }

    /** The key algorithm as JSSE names key types ({@code RSA}, {@code EC}). */
    String keyType() {
        return key.getAlgorithm();
    }

    @Override
    public String toString() {
        return "LoadedCertificate[" + name + " " + dnsNames + " until " + notAfter + "]";
    }
}
