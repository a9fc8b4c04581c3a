package io.duet.config;

/**
 * A certificate with its private key, referenced by name from {@code https} listeners.
 *
 * <p>The config module does not parse either value (it stays free of cryptography): the validator only checks the
 * PEM framing; the data plane parses them and rejects a revision whose certificate or key does not load.
 *
 * @param name             unique name, referenced by {@code listeners[].tls.certificates}, used in metrics
 * @param certificateChain PEM: the leaf certificate first, then its intermediates
 * @param privateKey       the leaf's private key. For now the PEM text of an unencrypted PKCS#8 key
 *                         ({@code -----BEGIN PRIVATE KEY-----}), stored in clear in the document; the TLS module
 *                         replaces this with a key encrypted at rest (an envelope under a node-local data key)
 */
public record TlsCertificate(String name, String certificateChain, String privateKey) {
    @Override
    public String toString() {
        // Never print key material (logs, exception messages).
        return "TlsCertificate[name=" + name + "]";
    }
}
