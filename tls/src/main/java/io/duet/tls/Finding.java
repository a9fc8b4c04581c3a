package io.duet.tls;

/**
 * One result of checking certificate material.
 *
 * @param kind     what was found (its id)
 * @param severity usually the kind's own; validity problems are only warnings when a document already in force is
 *                 loaded (refusing it would stop serving instead of serving an expired certificate)
 * @param message  the whole message, id first
 */
public record Finding(TlsMessage kind, TlsMessage.Severity severity, String message) {
    public boolean isError() {
        return severity == TlsMessage.Severity.ERROR;
    }

    /** The same finding as a warning. */
    Finding asWarning() {
        return new Finding(kind, TlsMessage.Severity.WARNING, message);
    }

    @Override
    public String toString() {
        return message;
    }
}
