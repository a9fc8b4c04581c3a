package io.duet.tls;

/**
 * Every message of the tls module, with its stable id. The text is a {@link String#format} template; the id is
 * prepended by {@link #format}. Ids are listed in tls/README.md; never reuse a retired one.
 */
public enum TlsMessage {
    NO_CERTIFICATE("DUET-TLS-0001", Severity.ERROR,
            "no certificate found (expected one or more -----BEGIN CERTIFICATE----- blocks)"),
    CERTIFICATE_UNREADABLE("DUET-TLS-0002", Severity.ERROR,
            "block %d of the certificate chain is not a readable X.509 certificate (%s)"),
    NO_PRIVATE_KEY("DUET-TLS-0003", Severity.ERROR,
            "no private key found (expected a PEM block: PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or "
                    + "EC PRIVATE KEY)"),
    PASSPHRASE_REQUIRED("DUET-TLS-0004", Severity.ERROR,
            "the private key is encrypted: give its passphrase"),
    WRONG_PASSPHRASE("DUET-TLS-0005", Severity.ERROR,
            "the private key does not decrypt with the given passphrase (%s)"),
    KEY_MISMATCH("DUET-TLS-0006", Severity.ERROR,
            "the private key belongs to none of the certificates (leaf expected: %s); upload the key of this "
                    + "certificate"),
    CHAIN_BROKEN("DUET-TLS-0007", Severity.ERROR, "%s"),
    EXPIRED("DUET-TLS-0008", Severity.ERROR, "certificate '%s' expired on %s"),
    NOT_YET_VALID("DUET-TLS-0009", Severity.ERROR, "certificate '%s' is not valid before %s"),
    WEAK_KEY("DUET-TLS-0010", Severity.ERROR,
            "the key is %s; expected RSA of at least 2048 bits or EC on P-256, P-384 or P-521"),
    WEAK_SIGNATURE("DUET-TLS-0011", Severity.ERROR,
            "certificate '%s' is signed with %s, which clients reject; have it re-issued with SHA-256 or better"),
    PKCS12_UNREADABLE("DUET-TLS-0012", Severity.ERROR,
            "the PKCS#12 file does not open (%s); check the password"),
    PKCS12_NO_KEY("DUET-TLS-0013", Severity.ERROR,
            "the PKCS#12 file holds no private key entry (a trust store?); export the certificate with its key"),
    UNSUPPORTED_KEY("DUET-TLS-0014", Severity.ERROR,
            "the private key is %s; supported: RSA and EC"),
    NO_SUBJECT_ALT_NAMES("DUET-TLS-0015", Severity.WARNING,
            "certificate '%s' has no subject alternative names: browsers ignore the common name and will reject it"),
    NOT_FOR_SERVERS("DUET-TLS-0016", Severity.ERROR,
            "certificate '%s' has an extended key usage without serverAuth: clients reject it for a server"),
    INTERMEDIATE_NOT_CA("DUET-TLS-0017", Severity.ERROR,
            "certificate '%s' signs '%s' but is not a CA certificate (basicConstraints)"),
    REORDERED("DUET-TLS-0018", Severity.INFO,
            "the chain was given in another order; it is served leaf first: %s"),
    KEY_AND_PKCS12("DUET-TLS-0019", Severity.ERROR,
            "give either a PEM certificate chain with its private key or a PKCS#12 file, not both"),
    SEALED_WITH_OTHER_KEY("DUET-TLS-0020", Severity.ERROR,
            "the private key was sealed with data key %s but this node's data key is %s: copy %s from a node "
                    + "of the cluster (mode 0600) and restart"),
    SEALED_CORRUPT("DUET-TLS-0021", Severity.ERROR,
            "the sealed private key is damaged or was altered (%s)"),
    DATA_KEY_UNUSABLE("DUET-TLS-0022", Severity.ERROR,
            "the data key file %s cannot be used: %s"),
    DATA_KEY_CREATED("DUET-TLS-0023", Severity.INFO,
            "created the data key %s (id %s, mode 0600): back it up with the configuration; a node without it "
                    + "cannot read the private keys in the document"),
    DATA_KEY_MODE_FIXED("DUET-TLS-0024", Severity.WARNING,
            "the data key file %s was readable by others (%s); its mode is now 0600"),
    DATA_KEY_REPLACED("DUET-TLS-0025", Severity.INFO,
            "data key %s kept aside as %s: this node now uses the cluster's data key %s (received when it joined)"),
    SELF_SIGNED_ISSUED("DUET-TLS-0030", Severity.INFO,
            "issued a self-signed ECDSA P-256 certificate for %s, valid until %s (%s): HTTPS works now; "
                    + "browsers warn until a real certificate is configured"),
    SELF_SIGNED_UNREADABLE("DUET-TLS-0031", Severity.WARNING,
            "the node's self-signed certificate in %s does not load (%s); issuing a new one"),
    SELF_SIGNED_UNWRITABLE("DUET-TLS-0032", Severity.ERROR, "cannot write the self-signed certificate to %s: %s"),
    CLUSTER_CA_FAILED("DUET-TLS-0040", Severity.ERROR, "creating the cluster CA failed: %s"),
    /** Issuing a member certificate, or generating its key, failed: "what failed: why". */
    MEMBER_CERTIFICATE_FAILED("DUET-TLS-0041", Severity.ERROR, "%s failed: %s");

    /** How bad a finding is: errors refuse an import, warnings are reported, info is for the operator's log. */
    public enum Severity { ERROR, WARNING, INFO }

    private final String id;
    private final Severity severity;
    private final String template;

    TlsMessage(String id, Severity severity, String template) {
        this.id = id;
        this.severity = severity;
        this.template = template;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** The message with its id first, e.g. {@code DUET-TLS-0006 the private key belongs to none ...}. */
    public String format(Object... args) {
        return id + " " + String.format(template, args);
    }

    /** A finding of this kind. */
    public Finding finding(Object... args) {
        return new Finding(this, severity, format(args));
    }

    /** An exception of this kind. */
    public TlsMaterialException exception(Object... args) {
        return new TlsMaterialException(this, format(args), null);
    }

    /** An exception of this kind with its cause. */
    public TlsMaterialException exception(Throwable cause, Object... args) {
        return new TlsMaterialException(this, format(args), cause);
    }
}
