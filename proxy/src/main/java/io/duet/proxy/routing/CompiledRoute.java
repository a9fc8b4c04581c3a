package io.duet.proxy.routing;

import io.duet.proxy.metrics.RouteMetrics;
import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.regex.Pattern;

/**
 * A route compiled for one snapshot: its matchers and the handler running its actions.
 *
 * @param vhost        virtual host name
 * @param name         route name
 * @param matchers     every one must match
 * @param bodyPattern  searched in the first {@code bodyMaxBytes} of the body, or {@code null}
 * @param bodyMaxBytes bytes of the body the pattern sees
 * @param handler      the route's actions, ending in forward, redirect or a fixed response
 * @param pool         the pool it forwards to, or {@code null}
 * @param metrics      metrics of the route
 */
public record CompiledRoute(String vhost, String name, RequestMatcher[] matchers, Pattern bodyPattern,
                            int bodyMaxBytes, HttpHandler handler, String pool, RouteMetrics metrics)
        implements RequestContext.Route {

    /** Every condition except the body holds. I/O thread. */
    boolean matchesWithoutBody(HttpServerExchange exchange, String path) {
        for (RequestMatcher m : matchers) {
            if (!m.matches(exchange, path)) {
                return false;
            }
        }
        return true;
    }

    boolean needsBody() {
        return bodyPattern != null;
    }

    @Override
    public void requestStarted() {
        metrics.requestStarted();
    }

    @Override
    public void requestFinished(int status, long nanos) {
        metrics.requestFinished(status, nanos);
    }

    @Override
    public String toString() {
        return vhost + "/" + name;
    }
}
