package io.duet.appliance;

import io.duet.config.DuetConfig;
import io.duet.config.TlsCertificate;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import io.duet.tls.KeyVault;
import io.duet.tls.Pem;
import io.duet.tls.TlsMaterialException;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Replaces private keys given in clear (any PEM form, with their passphrase, or a PKCS#12 file) by the sealed form
 * under the node's data key, so the committed document never holds a usable key: the certificate entry keeps its
 * name, its chain becomes PEM leaf first, the passphrase and the PKCS#12 file are dropped.
 *
 * <p>Pure apart from the vault; any non-I/O thread.
 */
final class KeySealer {
    private KeySealer() {
    }

    /** What sealing did: the new document (the same instance when nothing was in clear) and the names sealed. */
    record Result(DuetConfig config, List<String> sealed, List<String> failed) {
        boolean changed() {
            return !sealed.isEmpty();
        }
    }

    /**
     * Seals every certificate entry that is not sealed yet. An entry whose key does not load is left as it is and
     * named in {@code failed} (the data plane reports why when it applies the document).
     */
    static Result seal(DuetConfig config, KeyVault vault, Clock clock) {
        List<TlsCertificate> out = new ArrayList<>();
        List<String> sealed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (TlsCertificate c : config.certificates()) {
            if (c == null || c.sealed()) {
                out.add(c);
                continue;
            }
            try {
                String chain;
                PrivateKey key;
                char[] pass = c.passphrase() == null ? null : c.passphrase().toCharArray();
                if (c.pkcs12() != null) {
                    CertifiedKey ck = CertificateImport.fromPkcs12(Base64.getMimeDecoder().decode(c.pkcs12()), pass,
                            clock, CertificateImport.Validity.WARN);
                    chain = Pem.certificates(ck.chain());
                    key = ck.key();
                } else if (KeyVault.isSealed(c.privateKey())) {
                    chain = c.certificateChain();
                    key = vault.open(c.privateKey()); // sealed but with a stray passphrase: just drop it
                } else {
                    CertifiedKey ck = CertificateImport.check(CertificateImport.readCertificates(c.certificateChain()),
                            CertificateImport.readPrivateKey(c.privateKey(), pass), clock,
                            CertificateImport.Validity.WARN);
                    chain = Pem.certificates(ck.chain());
                    key = ck.key();
                }
                out.add(new TlsCertificate(c.name(), chain, vault.seal(key)));
                sealed.add(c.name());
            } catch (TlsMaterialException | IllegalArgumentException e) {
                out.add(c);
                failed.add(c.name());
            }
        }
        if (sealed.isEmpty()) {
            return new Result(config, sealed, failed);
        }
        return new Result(config.withCertificates(out), sealed, failed);
    }
}
