package io.duet.admin.api;

import io.duet.admin.audit.AuditLog;
import io.duet.admin.auth.ApiTokens;
import io.duet.admin.auth.Sessions;
import io.duet.admin.message.AdminMessage;
import io.duet.config.AdminUser;
import io.duet.config.ApiToken;
import io.duet.config.DuetConfig;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.time.Instant;

/**
 * The authentication decorator: finds the caller from an API token ({@code Authorization: Bearer}) or the session
 * cookie, against the users and tokens of the current document; 401 without one, 403 when the user must change the
 * password first (except on {@link Route.Access#CALLER} routes). Thread-safe.
 */
public final class Authentication implements Decorator {
    private final ConfigStore store;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final AuditLog audit;

    public Authentication(ConfigStore store, Sessions sessions, ApiTokens tokens, AuditLog audit) {
        this.store = store;
        this.sessions = sessions;
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public Service decorate(Route route, Service next) {
        if (route.access() == Route.Access.PUBLIC) {
            return next;
        }
        boolean passwordChangeAllowed = route.access() == Route.Access.CALLER;
        return request -> {
            request.caller(authenticate(request.exchange(), passwordChangeAllowed));
            next.serve(request);
        };
    }

    /** The caller of {@code ex}. */
    Caller authenticate(HttpServerExchange ex, boolean passwordChangeAllowed) throws ApiError {
        DuetConfig cur = store.current();
        String address = Http.address(ex);
        String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ApiToken t = ApiTokens.find(cur.admin().apiTokens(), auth.substring(7).trim());
            if (t == null) {
                audit.record(null, address, "token", "failed", null, "unknown API token");
                throw new ApiError(401, AdminMessage.NOT_LOGGED_IN, "not logged in: the API token is not valid");
            }
            if (tokens.expired(t)) {
                audit.record("token:" + t.id(), address, "token", "failed", null, "expired API token");
                throw new ApiError(401, AdminMessage.TOKEN_EXPIRED, "the API token " + t.id() + " (" + t.name()
                        + ") expired at " + Instant.ofEpochMilli(t.expiresAt()) + ": an admin makes a new one (POST "
                        + Http.PREFIX + "/tokens)");
            }
            tokens.used(t);
            return new Caller("token:" + t.id(), Caller.role(t.role()), null, true, false, address);
        }
        Sessions.Session s = sessions.find(Http.cookie(ex), user -> {
            AdminUser u = cur.admin().user(user);
            return u == null ? null : Sessions.fingerprint(u.role(), u.passwordHash());
        });
        if (s == null) {
            throw new ApiError(401, AdminMessage.NOT_LOGGED_IN, "not logged in (or the session expired): POST "
                    + Http.PREFIX + "/session with name and password");
        }
        AdminUser u = cur.admin().user(s.user());
        Caller c = new Caller(u.name(), Caller.role(u.role()), s, false, u.mustChangePassword(), address);
        if (c.mustChangePassword() && !passwordChangeAllowed) {
            throw new ApiError(403, AdminMessage.MUST_CHANGE_PASSWORD, "change your password first: PUT "
                    + Http.PREFIX + "/session/password with current and new");
        }
        return c;
    }
}
