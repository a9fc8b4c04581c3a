package io.duet.admin.change;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.config.ApiToken;
import io.duet.config.DuetConfig;
import io.duet.config.TlsCertificate;

import java.time.Instant;

/**
 * One edit of the configuration document, as a value: what the admin API asked for, before it is applied (by
 * {@link Changes#apply}) and committed. Its {@link #type()} is recorded in the audit trail. Immutable; any thread.
 */
public sealed interface Change {
    /** The change's type name, as the audit trail records it (e.g. {@code SetServerState}). */
    default String type() {
        return getClass().getSimpleName();
    }

    /** Enable, drain (until {@code drainUntil}, an ISO instant, or null) or put a server in maintenance. */
    record SetServerState(String pool, String server, String state, String drainUntil) implements Change {
    }

    /**
     * Adds ({@code replace} false: refused when the name exists) or replaces ({@code replace} true: refused when it
     * does not) a certificate whose material was checked; {@code subject} and {@code notAfter} are for the summary.
     */
    record PutCertificate(TlsCertificate certificate, boolean replace, String subject, Instant notAfter)
            implements Change {
    }

    /** Removes the certificate {@code name}. */
    record DeleteCertificate(String name) implements Change {
    }

    /** Adds a user who must change the password at the first login; refused when the name exists. */
    record AddUser(String name, String role, String passwordHash) implements Change {
    }

    /** Changes a user's role and/or resets the password (null: unchanged); a reset must be changed at login. */
    record UpdateUser(String name, String role, String passwordHash) implements Change {
    }

    /** Removes the user {@code name}. */
    record DeleteUser(String name) implements Change {
    }

    /** The user changed their own password: the new hash, and no change is required any more. */
    record ChangeOwnPassword(String name, String passwordHash) implements Change {
    }

    /** Adds an API token (its secret is never in the document, only its hash). */
    record PutApiToken(ApiToken token) implements Change {
    }

    /** Removes the API token {@code id}. */
    record RevokeApiToken(String id) implements Change {
    }

    /** Replaces the whole document but its users and tokens ({@code PUT /config}); secrets shown hidden are kept. */
    record ReplaceDocument(DuetConfig document, String summary) implements Change {
    }

    /** Imports a whole document ({@code POST /config/import}), as {@link ReplaceDocument}. */
    record ImportDocument(DuetConfig document, String summary) implements Change {
    }

    /** Goes back to an older revision's document, keeping today's users and tokens. */
    record Rollback(long revision, DuetConfig target) implements Change {
    }

    /** Creates or replaces one part of the document ({@code PUT /pools/api} etc.) with {@code body}. */
    record PutPart(DocumentPath path, JsonNode body) implements Change {
    }

    /** Removes one element of the document ({@code DELETE /pools/api} etc.). */
    record DeletePart(DocumentPath path) implements Change {
    }
}
