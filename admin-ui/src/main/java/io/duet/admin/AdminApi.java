package io.duet.admin;

import io.duet.admin.api.ApiHandler;
import io.duet.admin.api.Authentication;
import io.duet.admin.api.Csrf;
import io.duet.admin.api.Http;
import io.duet.admin.api.RoleCheck;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.auth.ApiTokens;
import io.duet.admin.auth.LoginThrottle;
import io.duet.admin.auth.Sessions;
import io.duet.admin.service.AdminRoutes;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.util.List;

/**
 * The REST API under {@code /api/v1} (documented by {@code /api/v1/openapi.json}), assembled: the route table of
 * {@link AdminRoutes} behind the decorators authentication, role check and CSRF, with the error mapping around
 * all ({@link ApiHandler}). JSON in and out; every error has the shape {@code {"id", "message", "violations"?}}.
 */
final class AdminApi {
    static final String PREFIX = Http.PREFIX;

    private AdminApi() {
    }

    static HttpHandler handler(ConfigStore store, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                               Clock clock, NodeView node, ApiTokens tokens) {
        return new ApiHandler(AdminRoutes.table(store, sessions, throttle, audit, clock, node, tokens),
                new Authentication(store, sessions, tokens, audit), List.of(new RoleCheck(audit), new Csrf(audit)));
    }

    /** The hash an API token's secret is stored as. */
    static String sha256(String s) {
        return ApiTokens.sha256(s);
    }
}
