package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.auth.ApiTokens;
import io.duet.admin.change.Change;
import io.duet.admin.message.AdminMessage;
import io.duet.config.ApiToken;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/** The API tokens: list (never a secret), create (the secret in that answer only) and revoke. Thread-safe. */
final class TokenService {
    private final ConfigStore store;
    private final ApiTokens tokens;
    private final Committer committer;

    TokenService(ConfigStore store, ApiTokens tokens, Committer committer) {
        this.store = store;
        this.tokens = tokens;
        this.committer = committer;
    }

    void list(Request r) throws Exception {
        Http.send(r.exchange(), 200, tokens.list(store.current().admin().apiTokens()));
    }

    /**
     * A new API token ({@code name}, {@code role}, optional {@code expiresInDays}: default
     * {@value ApiToken#DEFAULT_DAYS}, at most {@value ApiToken#MAX_DAYS}); the secret is in this answer only.
     */
    void create(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        JsonNode body = Http.body(ex);
        String name = Http.text(body, "name");
        String role = Http.text(body, "role");
        JsonNode days = body.get("expiresInDays");
        ApiTokens.Made made;
        try {
            if (days != null && !days.isNull() && !days.canConvertToInt()) {
                throw new IllegalArgumentException("expiresInDays: " + days + " (expected: a number of days, 1-"
                        + ApiToken.MAX_DAYS + ")");
            }
            made = tokens.make(name, role, r.caller().name(), days == null || days.isNull() ? null : days.asInt());
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, AdminMessage.TOKEN_EXPIRY, e.getMessage(), List.of(Violation.error(
                    "$.expiresInDays", AdminMessage.TOKEN_EXPIRY.id(), "expiresInDays: expected 1-"
                            + ApiToken.MAX_DAYS + " (default " + ApiToken.DEFAULT_DAYS + ")")));
        }
        ApiToken t = made.token();
        Committer.Committed c = committer.targeted(r, new Change.PutApiToken(t));
        Http.send(ex, 201, Http.JSON.createObjectNode().put("id", t.id()).put("name", name).put("role", role)
                .put("expires", t.expiresAt()).put("token", made.secret()).put("revision", c.revision()));
    }

    void revoke(Request r) throws Exception {
        committer.targeted(r, new Change.RevokeApiToken(r.param("id")));
        Http.noContent(r.exchange());
    }
}
