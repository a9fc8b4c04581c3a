package io.duet.admin.api;

import io.duet.admin.audit.AuditLog;
import io.duet.admin.message.AdminMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The CSRF decorator: a state change with a session must carry the session's token in {@value #HEADER} (API tokens
 * are not sent by browsers, so their calls need none). Runs after the role check. Thread-safe.
 */
public final class Csrf implements Decorator {
    public static final String HEADER = "X-CSRF-Token";
    private final AuditLog audit;

    public Csrf(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Service decorate(Route route, Service next) {
        if (route.access() == Route.Access.PUBLIC || !route.changesState()) {
            return next;
        }
        return request -> {
            Caller c = request.caller();
            if (!c.token()) {
                var ex = request.exchange();
                String given = ex.getRequestHeaders().getFirst(HEADER);
                if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII),
                        c.session().csrf().getBytes(StandardCharsets.US_ASCII))) {
                    audit.record(c.name(), Http.address(ex), ex.getRequestMethod() + " " + ex.getRequestPath(),
                            "denied", null, "missing or wrong CSRF token");
                    throw new ApiError(403, AdminMessage.CSRF, "missing or wrong " + HEADER + " header (its value is "
                            + "the csrfToken of GET " + Http.PREFIX + "/session)");
                }
            }
            next.serve(request);
        };
    }
}
