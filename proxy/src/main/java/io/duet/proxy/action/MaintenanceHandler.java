package io.duet.proxy.action;

import io.duet.config.Maintenance;
import io.duet.proxy.response.ErrorPages;
import io.duet.proxy.response.ErrorResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The answer of a virtual host or a route whose maintenance switch is on: 503 with {@code Retry-After} and the
 * maintenance page (its own body when set, else the host's 503 page, else Duet's default 503 page). The request is
 * not forwarded. Built once per snapshot; I/O thread, never blocks, allocates no page.
 */
public final class MaintenanceHandler implements HttpHandler {
    static final String MESSAGE = "this service is down for maintenance; retry later";

    private final ErrorPages.Page page; // null: the host's 503 page or the default
    private final long retryAfterSeconds;

    private MaintenanceHandler(ErrorPages.Page page, long retryAfterSeconds) {
        this.page = page;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The handler of a switch that is on, or {@code null} when {@code m} is null or off. Reload thread. */
    public static HttpHandler of(Maintenance m) {
        if (m == null || !m.enabled()) {
            return null;
        }
        ErrorPages.Page page = m.body() == null ? null : new ErrorPages.Page(503, m.contentType(), m.body());
        return new MaintenanceHandler(page, m.retryAfter());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (page != null) {
            ErrorResponses.sendPage(exchange, 503, page, retryAfterSeconds);
        } else {
            ErrorResponses.answer(exchange, 503, MESSAGE, retryAfterSeconds);
        }
    }
}
