package io.duet.tls;

import java.util.List;

/**
 * Certificate material that cannot be used: its message starts with a stable {@code DUET-TLS-} id and says what to
 * do. When several checks failed, {@link #findings()} holds every one of them (the message joins them).
 */
public final class TlsMaterialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient TlsMessage kind;
    private final transient List<Finding> findings;

    TlsMaterialException(TlsMessage kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.findings = List.of(new Finding(kind, kind.severity(), message));
    }

    TlsMaterialException(List<Finding> findings) {
        super(join(findings));
        this.kind = findings.get(0).kind();
        this.findings = List.copyOf(findings);
    }

    /** The first (or only) problem. */
    public TlsMessage kind() {
        return kind;
    }

    /** Every problem found, in the order found. */
    public List<Finding> findings() {
        return findings;
    }

    private static String join(List<Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(f.message());
        }
        return b.toString();
    }
}
