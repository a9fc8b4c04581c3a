package io.duet.config;

/**
 * A certificate with its private key, referenced by name from {@code https} listeners.
 *
 * <p>The config module does not parse either value (it stays free of cryptography): {@link ConfigValidator} checks
 * the PEM framing; the {@link CertificateCheck} of a node's {@link ProposalValidator} (the tls module) reads new and
 * changed entries before a document is committed, as the data plane reads them when it loads the revision.
 *
 * <p>At rest the document holds the key only sealed ({@code duet-sealed:v1:...}, AES-256-GCM under the node's data
 * key, which is not in the document). A key given in clear (any PEM form, encrypted with {@code passphrase} or not)
 * or a {@code pkcs12} file is accepted once: the node that commits it replaces it with the sealed form, the chain in
 * PEM, and drops the passphrase and the PKCS#12 file.
 *
 * @param name             unique name, referenced by {@code listeners[].tls.certificates}, used in metrics
 * @param certificateChain PEM: the leaf certificate and its intermediates, in any order (served leaf first)
 * @param privateKey       the leaf's private key: sealed, or PEM (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1)
 * @param passphrase       of an encrypted {@code privateKey} or of {@code pkcs12}; dropped when the key is sealed
 * @param pkcs12           base64 of a PKCS#12 (.p12/.pfx) file instead of {@code certificateChain} and
 *                         {@code privateKey}; replaced by them when the key is sealed
 */
public record TlsCertificate(String name, String certificateChain, String privateKey, String passphrase,
                             String pkcs12) {
    public TlsCertificate(String name, String certificateChain, String privateKey) {
        this(name, certificateChain, privateKey, null, null);
    }

    /** True when the key is in the sealed form and nothing in the entry is secret in clear. */
    public boolean sealed() {
        return privateKey != null && privateKey.startsWith("duet-sealed:") && passphrase == null && pkcs12 == null;
    }

    @Override
    public String toString() {
        // Never print key material (logs, exception messages).
        return "TlsCertificate[name=" + name + "]";
    }
}
