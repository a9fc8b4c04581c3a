package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Caller;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.auth.LoginThrottle;
import io.duet.admin.auth.Passwords;
import io.duet.admin.auth.Sessions;
import io.duet.admin.change.Change;
import io.duet.admin.message.AdminMessage;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.List;

/**
 * The session family: log in ({@code POST /session}), who am I ({@code GET}), log out ({@code DELETE}) and change
 * one's own password ({@code PUT /session/password}), with the login throttle before every password check.
 * Thread-safe.
 */
final class SessionService {
    private final ConfigStore store;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Committer committer;

    SessionService(ConfigStore store, Sessions sessions, LoginThrottle throttle, AuditLog audit, Committer committer) {
        this.store = store;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.committer = committer;
    }

    void login(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        JsonNode body = Http.body(ex);
        String name = Http.text(body, "name");
        String password = Http.text(body, "password");
        String from = Http.address(ex);
        LoginThrottle.Attempt attempt = reserve(ex, name, from, "login");
        AdminUser u = store.current().admin().user(name);
        boolean ok = checkPassword(attempt, password, u == null ? null : u.passwordHash());
        if (!ok) {
            audit.record(name, from, "login", "failed", null, u == null ? "unknown user" : "wrong password");
            throw new ApiError(401, AdminMessage.WRONG_LOGIN, "wrong user name or password");
        }
        sessions.remove(Http.cookie(ex));
        Sessions.Session s = sessions.create(u.name(), Sessions.fingerprint(u.role(), u.passwordHash()));
        Http.setCookie(ex, s.id());
        audit.record(u.name(), from, "login", "ok", null, u.mustChangePassword() ? "must change password" : null);
        Http.send(ex, 200, whoami(new Caller(u.name(), Caller.role(u.role()), s, false, u.mustChangePassword(), from)));
    }

    void get(Request r) throws Exception {
        Http.send(r.exchange(), 200, whoami(r.caller()));
    }

    void logout(Request r) {
        Caller c = r.caller();
        if (c.session() != null) {
            sessions.remove(c.session().id());
        }
        Http.expireCookie(r.exchange());
        audit.record(c.name(), Http.address(r.exchange()), "logout", "ok", null, null);
        Http.noContent(r.exchange());
    }

    void changePassword(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        Caller c = r.caller();
        JsonNode body = Http.body(ex);
        String current = Http.text(body, "current");
        String next = Http.text(body, "new");
        DuetConfig cur = store.current();
        AdminUser u = cur.admin().user(c.name());
        LoginThrottle.Attempt attempt = reserve(ex, c.name(), Http.address(ex), "password change");
        if (!checkPassword(attempt, current, u == null ? null : u.passwordHash())) {
            audit.record(c.name(), Http.address(ex), "password change", "failed", null, "wrong current password");
            throw new ApiError(403, AdminMessage.WRONG_CURRENT_PASSWORD, "the current password is wrong");
        }
        String weak = Passwords.weakness(u.name(), next, current);
        if (weak != null) {
            throw new ApiError(422, AdminMessage.WEAK_PASSWORD, "the new password is too weak (expected: " + weak
                    + ")", List.of(Violation.error("$.new", AdminMessage.WEAK_PASSWORD.id(), "new: expected " + weak)));
        }
        DuetConfig committed = committer.at(new Change.ChangeOwnPassword(u.name(), Passwords.hash(next)),
                cur.revision(), c).document();
        // Every session of the user (on every node) is now dead: its fingerprint changed. A new one for this caller.
        sessions.remove(c.session().id());
        AdminUser changed = committed.admin().user(u.name());
        Sessions.Session s = sessions.create(u.name(), Sessions.fingerprint(changed.role(), changed.passwordHash()));
        Http.setCookie(ex, s.id());
        Http.send(ex, 200, whoami(new Caller(u.name(), c.role(), s, false, false, c.address())));
    }

    /**
     * Reserves a password check of {@code name} from {@code from} with the throttle (before any hashing, so parallel
     * attempts count), or answers 429 with Retry-After.
     */
    private LoginThrottle.Attempt reserve(HttpServerExchange ex, String name, String from, String action)
            throws ApiError {
        LoginThrottle.Attempt attempt = throttle.begin(name, from);
        long wait = attempt.waitMs();
        if (wait > 0) {
            audit.record(name, from, action, "throttled", null, null);
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString((wait + 999) / 1000));
            throw new ApiError(429, AdminMessage.THROTTLED, "too many failed password checks from this address: try "
                    + "again in " + ((wait + 999) / 1000) + " s");
        }
        return attempt;
    }

    /**
     * Checks a password under a reserved attempt and ends it; a null {@code hash} (no such user) costs the same
     * work and fails. When the node is already hashing as many passwords as it allows, 503 with Retry-After (the
     * attempt then counts as nothing).
     */
    private static boolean checkPassword(LoginThrottle.Attempt attempt, String password, String hash)
            throws ApiError {
        boolean ok;
        try {
            ok = hash == null ? Passwords.verifyNobody(password) : Passwords.verify(password, hash);
        } catch (Passwords.BusyException e) {
            attempt.abandoned();
            throw ApiError.retryAfter(503, AdminMessage.HASHING_BUSY, e.getMessage(), 1);
        } catch (RuntimeException | Error e) {
            attempt.abandoned();
            throw e;
        }
        if (ok) {
            attempt.succeeded();
        } else {
            attempt.failed();
        }
        return ok;
    }

    private static ObjectNode whoami(Caller c) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("name", c.name());
        o.put("role", c.role().wire());
        o.put("mustChangePassword", c.mustChangePassword());
        if (c.session() != null) {
            o.put("csrfToken", c.session().csrf());
        }
        return o;
    }
}
