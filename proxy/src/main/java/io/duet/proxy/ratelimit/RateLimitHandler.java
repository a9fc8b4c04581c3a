package io.duet.proxy.ratelimit;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.util.concurrent.TimeUnit;

/**
 * Runs a listener's or a route's rate limits in order before {@code next}: a refused request gets the limit's
 * answer; a delayed one is held by a timer on the exchange's own I/O thread (no thread waits), then the limits
 * after it run. I/O thread; never blocks; allocates only to hold or refuse.
 */
final class RateLimitHandler implements HttpHandler {
    private final RateLimiter[] limiters;
    private final String route;
    private final HttpHandler next;

    /** @param route the route ({@code vhost/route}) for the {@code route} key part, or null on a listener */
    RateLimitHandler(RateLimiter[] limiters, String route, HttpHandler next) {
        this.limiters = limiters;
        this.route = route;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        run(exchange, 0);
    }

    private void run(HttpServerExchange exchange, int from) throws Exception {
        for (int i = from; i < limiters.length; i++) {
            long r = limiters[i].decide(exchange, route);
            if (r < 0) {
                limiters[i].refuse(exchange, -r);
                return;
            }
            if (r > 0) {
                hold(exchange, r, i + 1);
                return;
            }
        }
        next.handleRequest(exchange);
    }

    /** Resumes the request after {@code nanos} on its I/O thread, at limit {@code from}. */
    private void hold(HttpServerExchange exchange, long nanos, int from) {
        long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(
                () -> Connectors.executeRootHandler(ex -> run(ex, from), exchange), ms, TimeUnit.MILLISECONDS));
    }
}
