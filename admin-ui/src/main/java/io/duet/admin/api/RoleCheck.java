package io.duet.admin.api;

import io.duet.admin.audit.AuditLog;
import io.duet.admin.message.AdminMessage;

/**
 * The role decorator: a caller below the route's role gets 403 (and an audit record of the denial). Runs after
 * {@link Authentication}. Thread-safe.
 */
public final class RoleCheck implements Decorator {
    private final AuditLog audit;

    public RoleCheck(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Service decorate(Route route, Service next) {
        if (route.access() != Route.Access.ROLE) {
            return next;
        }
        return request -> {
            Caller c = request.caller();
            if (!c.role().allows(route.role())) {
                var ex = request.exchange();
                audit.record(c.name(), Http.address(ex), ex.getRequestMethod() + " " + ex.getRequestPath(), "denied",
                        null, "role " + c.role().wire());
                throw new ApiError(403, AdminMessage.ROLE_DENIED, "your role (" + c.role().wire() + ") may not "
                        + route.what() + "; it needs " + route.role().wire());
            }
            next.serve(request);
        };
    }
}
