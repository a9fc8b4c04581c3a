package io.duet.config;

import java.util.List;

/**
 * Checks the material of one certificate entry the way the data plane will load it: the chain parses and links,
 * the key opens (a sealed one with this node's data key, an encrypted one with its passphrase) and belongs to the
 * leaf, validity and strength. The config module itself stays free of cryptography: the appliance implements this
 * over the tls module and passes it to the {@link ProposalValidator} every config store and proposer uses.
 *
 * <p>Implementations are thread-safe and pure apart from reading the data key; they may block briefly (an RSA key
 * check costs about a millisecond): call them off I/O threads.
 */
@FunctionalInterface
public interface CertificateCheck {
    /** No material check: only the document's own rules (tests, tools that hold no data key). */
    CertificateCheck NONE = (proposed, committed) -> List.of();

    /**
     * Every finding about one entry that passed the document's own rules.
     *
     * @param proposed  the entry of the proposed document
     * @param committed the entry of the same name in the document in force, null when there is none. When its
     *                  certificates are the same, the material counts as committed: an expired or not yet valid
     *                  certificate is then a warning (the data plane keeps serving it), otherwise an error
     * @return findings whose path is relative to the entry: a field name such as {@code privateKey}, or empty for
     *         the entry itself; the id is that of the finding (e.g. {@code DUET-TLS-0006}); errors refuse the
     *         document
     */
    List<Violation> check(TlsCertificate proposed, TlsCertificate committed);
}
