package io.duet.admin.message;

/**
 * Every message id the admin listener writes, once: the id ({@code DUET-ADMIN-nnnn}, listed in
 * docs/troubleshooting.md) and what it means. Log lines lead with {@link #id()}; API errors carry it as their
 * {@code id}. An id never changes meaning once released, and no two constants share one.
 */
public enum AdminMessage {
    // The trail and the listener (log lines).
    AUDIT_RECORD("DUET-ADMIN-0001", "one audit record"),
    AUDIT_FILE_UNWRITABLE("DUET-ADMIN-0002", "the audit log file cannot be appended to"),
    LISTEN_FAILED("DUET-ADMIN-0003", "the admin listener could not listen"),
    AUDIT_OVER_RATE("DUET-ADMIN-0004", "audit records over the rate limit kept on this node only"),
    AUDIT_NOT_REPLICATED_YET("DUET-ADMIN-0005", "an audit record is not replicated yet; retried"),
    FIRST_ADMIN_FAILED("DUET-ADMIN-0006", "the first admin user could not be added"),
    AUDIT_QUEUE_FULL("DUET-ADMIN-0007", "an audit record kept on this node only: the replication queue is full"),

    // Who is calling.
    WRONG_LOGIN("DUET-ADMIN-0101", "wrong user name or password"),
    THROTTLED("DUET-ADMIN-0102", "too many failed password checks from this address"),
    NOT_LOGGED_IN("DUET-ADMIN-0103", "not logged in, session expired, or unknown API token"),
    CSRF("DUET-ADMIN-0104", "missing or wrong CSRF token"),
    MUST_CHANGE_PASSWORD("DUET-ADMIN-0105", "the password must be changed first"),
    ROLE_DENIED("DUET-ADMIN-0106", "the role may not do this"),
    WRONG_CURRENT_PASSWORD("DUET-ADMIN-0107", "the current password is wrong"),
    WEAK_PASSWORD("DUET-ADMIN-0108", "the password is too weak"),

    // The request.
    METHOD_NOT_ALLOWED("DUET-ADMIN-0109", "method not allowed"),
    MALFORMED("DUET-ADMIN-0110", "malformed request"),
    TOO_LARGE("DUET-ADMIN-0111", "request body too large"),

    // Changes.
    IF_MATCH("DUET-ADMIN-0120", "If-Match missing or not a revision"),
    INVALID_DOCUMENT("DUET-ADMIN-0121", "the document is invalid or does not read"),
    STALE_REVISION("DUET-ADMIN-0122", "someone committed first"),
    NOT_COMMITTED("DUET-ADMIN-0123", "not committed"),
    EXISTS("DUET-ADMIN-0124", "the element to add exists already"),
    SELF_DELETE("DUET-ADMIN-0125", "you cannot delete yourself"),
    SERVER_STATE("DUET-ADMIN-0126", "not a server state, or drainSeconds without drain"),
    CERTIFICATE_MATERIAL("DUET-ADMIN-0127", "certificate material missing or not usable"),
    NAME_MISMATCH("DUET-ADMIN-0128", "the element's name in the body differs from the path's"),
    HANDOFF_REFUSED("DUET-ADMIN-0129", "handoff not possible"),
    LIMIT("DUET-ADMIN-0130", "limit is not a number from 1 to 5000"),
    HISTORY_QUERY("DUET-ADMIN-0131", "a metrics history query names no kind, a wrong one, or a bad since"),
    TAIL_QUERY("DUET-ADMIN-0132", "an access log tail query has a bad since, status or limit"),
    RATE_LIMIT_QUERY("DUET-ADMIN-0137", "a rate limit's top keys query has a bad limit"),
    NOT_FOUND("DUET-ADMIN-0140", "no such resource or revision"),

    // API tokens and password hashing.
    TOKEN_EXPIRED("DUET-ADMIN-0150", "the API token expired"),
    TOKEN_EXPIRY("DUET-ADMIN-0151", "expiresInDays is not 1-365"),
    HASHING_BUSY("DUET-ADMIN-0152", "the node is hashing as many passwords as it allows"),
    TOKEN_USE_UNWRITABLE("DUET-ADMIN-0153", "the last uses of API tokens could not be written or read"),

    // Bugs.
    NO_OPENAPI("DUET-ADMIN-0198", "this build has no openapi.json"),
    INTERNAL("DUET-ADMIN-0199", "internal error");

    private final String id;
    private final String text;

    AdminMessage(String id, String text) {
        this.id = id;
        this.text = text;
    }

    /** The stable id, e.g. {@code DUET-ADMIN-0101}. */
    public String id() {
        return id;
    }

    /** What the id means, in a few words (the messages themselves say more). */
    public String text() {
        return text;
    }
}
