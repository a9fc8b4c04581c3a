package io.duet.proxy.tls;

import io.duet.config.TlsCertificate;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import io.duet.tls.Finding;
import io.duet.tls.KeyVault;
import io.duet.tls.TlsMaterialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.Base64;

/**
 * Turns a certificate of the document into what a listener serves, with the tls module: a PEM chain in any order
 * or a PKCS#12 file; the key sealed (opened with the node's {@link KeyVault}) or, before the node has sealed it, in
 * any PEM form. Validity is judged leniently ({@link CertificateImport.Validity#WARN}): a committed certificate that
 * expires keeps being served, with warnings, rather than stopping the listener.
 *
 * <p>Pure apart from logging; any non-I/O thread (an RSA check costs about a millisecond).
 */
public final class CertificateLoader {
    /** The name under which the node's self-signed certificate is served and measured. */
    public static final String SELF_SIGNED = "self-signed";

    private static final Logger LOG = LoggerFactory.getLogger(CertificateLoader.class);

    private CertificateLoader() {
    }

    /**
     * Parses and checks one certificate of the document; logs its warnings (DUET-TLS ids).
     *
     * @param vault the node's data key; null when the data plane runs without one (then sealed keys fail)
     * @throws IllegalArgumentException DUET-PROXY-0130 naming the certificate, with every DUET-TLS problem
     */
    public static LoadedCertificate load(TlsCertificate spec, KeyVault vault, Clock clock) {
        CertifiedKey c;
        try {
            if (spec.pkcs12() != null) {
                byte[] p12 = Base64.getMimeDecoder().decode(spec.pkcs12());
                c = CertificateImport.fromPkcs12(p12, chars(spec.passphrase()), clock, CertificateImport.Validity.WARN);
            } else {
                PrivateKey key;
                if (KeyVault.isSealed(spec.privateKey())) {
                    if (vault == null) {
                        throw fail(spec.name(), "the key is sealed and this data plane has no data key");
                    }
                    key = vault.open(spec.privateKey());
                } else {
                    key = CertificateImport.readPrivateKey(spec.privateKey(), chars(spec.passphrase()));
                }
                c = CertificateImport.check(CertificateImport.readCertificates(spec.certificateChain()), key, clock,
                        CertificateImport.Validity.WARN);
            }
        } catch (TlsMaterialException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("DUET-PROXY-0130")) {
                throw e;
            }
            throw fail(spec.name(), e.getMessage());
        }
        for (Finding f : c.findings()) {
            LOG.warn("certificate '{}': {}", spec.name(), f.message());
        }
        return of(spec.name(), c);
    }

    /** A checked certificate under a name (e.g. the node's self-signed one). */
    public static LoadedCertificate of(String name, CertifiedKey c) {
        return new LoadedCertificate(name, c.chain(), c.key(), c.dnsNames(), c.notAfter());
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    private static IllegalArgumentException fail(String name, String what) {
        return new IllegalArgumentException("DUET-PROXY-0130 certificate '" + name + "': " + what
                + "; the revision was not applied");
    }
}
