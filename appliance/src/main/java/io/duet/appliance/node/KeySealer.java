package io.duet.appliance.node;

import io.duet.config.Affinity;
import io.duet.config.AffinityKey;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
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
 * name, its chain becomes PEM leaf first, the passphrase and the PKCS#12 file are dropped. Affinity signing keys in
 * clear are sealed the same way (the data plane opens them; the key bytes, and so the cookies, stay the same).
 *
 * <p>Pure apart from the vault; any non-I/O thread.
 */
final class KeySealer {
    private KeySealer() {
    }

    /**
     * What sealing did: the new document (the same instance when nothing was in clear), the certificates sealed and
     * not sealed, and the pools whose signing key was sealed.
     */
    record Result(DuetConfig config, List<String> sealed, List<String> failed, List<String> sealedPools) {
        boolean changed() {
            return !sealed.isEmpty() || !sealedPools.isEmpty();
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
        DuetConfig next = sealed.isEmpty() ? config : config.withCertificates(out);
        List<String> sealedPools = new ArrayList<>();
        List<Pool> pools = new ArrayList<>();
        for (Pool p : next.pools()) {
            Affinity a = p == null ? null : p.affinity();
            byte[] key = a == null || AffinityKey.isSealed(a.signingKey()) ? null : AffinityKey.decode(a.signingKey());
            if (key == null || key.length == 0) {
                pools.add(p);
                continue;
            }
            try {
                pools.add(p.withAffinity(a.withSigningKey(vault.sealSecret(key))));
                sealedPools.add(p.name());
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
        return new Result(sealedPools.isEmpty() ? next : next.withPools(pools), sealed, failed, sealedPools);
    }
}
