package io.duet.proxy.tls;

import io.duet.config.TlsCertificate;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertificateMaterial;
import io.duet.tls.CertifiedKey;
import io.duet.tls.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

import static io.duet.proxy.message.ProxyMessage.CERTIFICATE_UNLOADABLE;

/**
 * Turns a certificate of the document into what a listener serves, with the tls module: a PEM chain in any order
 * or a PKCS#12 file; the key sealed (opened with the node's {@link KeyVault}) or, before the node has sealed it, in
 * any PEM form ({@link CertificateMaterial#load}: the same reading every proposal of a document is checked with
 * before it is committed). Validity is judged leniently ({@link CertificateImport.Validity#WARN}): a committed
 * certificate that expires keeps being served, with warnings, rather than stopping the listener.
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
        if (spec.pkcs12() == null && KeyVault.isSealed(spec.privateKey()) && vault == null) {
            throw fail(spec.name(), "the key is sealed and this data plane has no data key");
        }
        CertificateMaterial.Loaded loaded;
        try {
            loaded = CertificateMaterial.load(new CertificateMaterial.Entry(spec.certificateChain(),
                    spec.privateKey(), spec.passphrase(), spec.pkcs12()), vault, clock,
                    CertificateImport.Validity.WARN);
        } catch (IllegalArgumentException e) {
            throw fail(spec.name(), e.getMessage());
        }
        if (loaded.key() == null) {
            throw fail(spec.name(), loaded.errors());
        }
        for (CertificateMaterial.FieldFinding f : loaded.findings()) {
            LOG.warn("certificate '{}': {}", spec.name(), f.finding().message());
        }
        return of(spec.name(), loaded.key());
    }

    /** A checked certificate under a name (e.g. the node's self-signed one). */
    public static LoadedCertificate of(String name, CertifiedKey c) {
        return new LoadedCertificate(name, c.chain(), c.key(), c.dnsNames(), c.notAfter());
    }

    private static IllegalArgumentException fail(String name, String what) {
        return new IllegalArgumentException(CERTIFICATE_UNLOADABLE + " certificate '" + name + "': " + what
                + "; the revision was not applied");
    }
}
