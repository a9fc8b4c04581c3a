package io.duet.admin.api;

import io.duet.admin.message.AdminMessage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API under {@code /api/v1}: finds the route of each call in the {@link RouteTable} and runs its service
 * inside its decorators (authentication, role, CSRF) and the error mapping. A path no route has is 404 and a method
 * the path has not is 405 with the table's Allow, each after the caller is authenticated (a public path's 405
 * needs none). Runs on Undertow worker threads (calls are dispatched off the I/O thread: Argon2id and commits block).
 */
public final class ApiHandler implements HttpHandler {
    private final RouteTable table;
    private final Authentication authentication;
    private final Map<Route, Service> decorated = new HashMap<>();

    /** {@code decorators} wrap each route's service, the first outermost. */
    public ApiHandler(RouteTable table, Authentication authentication, List<Decorator> decorators) {
        this.table = table;
        this.authentication = authentication;
        List<Decorator> all = new ArrayList<>();
        all.add(authentication);
        all.addAll(decorators);
        for (Route r : table.routes()) {
            Service s = r.service();
            for (int i = all.size() - 1; i >= 0; i--) {
                s = all.get(i).decorate(r, s);
            }
            decorated.put(r, s);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        ex.startBlocking();
        SecurityHeaders.apply(ex);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            ErrorMapping.around(ex, () -> {
                RequestBody.open(ex);
                route(ex);
            });
        } finally {
            RequestBody.finish(ex);
        }
    }

    private void route(HttpServerExchange ex) throws Exception {
        String path = ex.getRequestPath().substring(Http.PREFIX.length());
        String method = ex.getRequestMethod().toString();
        var match = table.find(method, path);
        if (match.isPresent()) {
            Route r = match.get().route();
            decorated.get(r).serve(new Request(ex, path, r, match.get().params()));
            return;
        }
        List<Route> here = table.forPath(path);
        if (here.isEmpty()) {
            authentication.authenticate(ex, false);
            throw new ApiError(404, AdminMessage.NOT_FOUND, "no such resource: " + Http.PREFIX
                    + path + " (the resources are listed in " + Http.PREFIX + "/openapi.json)");
        }
        Route.Access access = here.get(0).access();
        if (access != Route.Access.PUBLIC) {
            authentication.authenticate(ex, access == Route.Access.CALLER);
        }
        throw ApiError.methodNotAllowed(table.allowed(path));
    }
}
