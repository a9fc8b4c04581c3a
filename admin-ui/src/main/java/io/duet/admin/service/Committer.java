package io.duet.admin.service;

import io.duet.admin.api.ApiError;
import io.duet.admin.api.Caller;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.change.Change;
import io.duet.admin.change.ChangeRefused;
import io.duet.admin.change.Changes;
import io.duet.admin.message.AdminMessage;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.RevisionConflictException;

/**
 * Commits typed changes: applies a {@link Change} to the current document ({@link Changes#apply}), proposes the
 * result to the store (which validates it) and records the commit, with the change's type, in the audit trail.
 * Thread-safe (the store orders commits).
 */
final class Committer {
    /** What a commit gave: the committed document and how the change applied. */
    record Committed(DuetConfig document, Changes.Applied applied) {
        long revision() {
            return document.revision();
        }
    }

    private final ConfigStore store;
    private final AuditLog audit;

    Committer(ConfigStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /**
     * Commits a targeted change (one server, certificate, user, token, part): with If-Match, against that revision
     * only (409 when stale); without, against the newest, applied again once if another commit slipped in between
     * (the change is targeted, so applying it to the newer document is what the caller meant).
     */
    Committed targeted(Request r, Change change) throws ApiError, ChangeRefused {
        String ifMatch = Http.ifMatch(r.exchange());
        for (int attempt = 0; ; attempt++) {
            DuetConfig cur = store.current();
            if (ifMatch != null && Http.revisionOf(ifMatch) != cur.revision()) {
                throw new ApiError(409, AdminMessage.STALE_REVISION, "revision " + Http.revisionOf(ifMatch)
                        + " is no longer current (now " + cur.revision() + "): reload and repeat the change");
            }
            Changes.Applied applied = Changes.apply(cur, change);
            try {
                return new Committed(commit(applied, change, cur.revision(), r.caller()), applied);
            } catch (ApiError e) {
                if (e.status() != 409 || ifMatch != null || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /** Commits {@code change}, applied to the current document, against revision {@code base} (409 when stale). */
    Committed at(Change change, long base, Caller c) throws ApiError, ChangeRefused {
        Changes.Applied applied = Changes.apply(store.current(), change);
        return new Committed(commit(applied, change, base, c), applied);
    }

    private DuetConfig commit(Changes.Applied applied, Change change, long base, Caller c) throws ApiError {
        try {
            DuetConfig committed = store.propose(applied.document(), base, c.name(), applied.summary());
            audit.record(c.name(), c.address(), "commit", "ok", committed.revision(), applied.summary(),
                    change.type());
            return committed;
        } catch (InvalidConfigException e) {
            throw new ApiError(422, AdminMessage.INVALID_DOCUMENT, "the document is invalid: nothing was changed",
                    e.violations());
        } catch (RevisionConflictException e) {
            throw new ApiError(409, AdminMessage.STALE_REVISION, "revision " + base + " is no longer current (now "
                    + store.current().revision() + "): someone else committed first; reload, reapply your edit, and "
                    + "send it with the new ETag");
        } catch (IllegalStateException e) {
            throw new ApiError(503, AdminMessage.NOT_COMMITTED, "the change was not committed: " + e.getMessage());
        }
    }
}
