package io.duet.admin.change;

import io.duet.admin.message.AdminMessage;
import io.duet.config.Violation;

import java.util.List;

/** A change that cannot apply to the document it was given: why ({@link Reason}), the message id, the findings. */
public final class ChangeRefused extends Exception {
    /** Why, in the terms an HTTP answer needs (the API maps each to its status). */
    public enum Reason {
        /** The element to change or remove is not there (404). */
        NOT_FOUND,
        /** The element to add is there already (409). */
        EXISTS,
        /** The result is not a valid document, or the request contradicts itself (422). */
        INVALID,
        /** The change's body is not of the expected shape (400). */
        MALFORMED
    }

    private final Reason reason;
    private final AdminMessage id;
    private final List<Violation> violations;

    public ChangeRefused(Reason reason, AdminMessage id, String message, List<Violation> violations) {
        super(message);
        this.reason = reason;
        this.id = id;
        this.violations = List.copyOf(violations);
    }

    public ChangeRefused(Reason reason, AdminMessage id, String message) {
        this(reason, id, message, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public AdminMessage id() {
        return id;
    }

    public List<Violation> violations() {
        return violations;
    }
}
