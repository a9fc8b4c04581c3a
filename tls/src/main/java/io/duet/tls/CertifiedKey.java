package io.duet.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A certificate chain with the leaf's private key, checked: what a TLS server needs to present one identity.
 * Immutable; any thread.
 *
 * @param chain          leaf first, then each certificate's issuer (a root, when given, last)
 * @param key            the leaf's private key
 * @param dnsNames       lower-case DNS names the leaf covers (subject alternative names; the subject common name
 *                       only when it has none), wildcards as {@code *.example.com}
 * @param ipAddresses    IP address subject alternative names, as text
 * @param keyDescription e.g. {@code EC P-256} or {@code RSA 2048}
 * @param findings       warnings and notes of the checks (errors refuse the import, so there are none here)
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key, List<String> dnsNames,
                           List<String> ipAddresses, String keyDescription, List<Finding> findings) {
    public CertifiedKey {
        chain = List.copyOf(chain);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        findings = List.copyOf(findings);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The leaf's subject, RFC 2253. */
    public String subject() {
        return leaf().getSubjectX500Principal().getName();
    }

    /**
     * True when a client connecting to {@code host} accepts this certificate's names: an exact DNS name, a wildcard
     * covering exactly one left-most label ({@code *.example.com} covers {@code a.example.com}, not
     * {@code example.com} nor {@code a.b.example.com}), or an IP address name.
     */
    public boolean covers(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (ipAddresses.contains(h)) {
            return true;
        }
        for (String n : dnsNames) {
            if (n.equals(h)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        // Never print key material.
        return "CertifiedKey[" + subject() + " " + dnsNames + " " + keyDescription + " until " + notAfter() + "]";
    }
}
