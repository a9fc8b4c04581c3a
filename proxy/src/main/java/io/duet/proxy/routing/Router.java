package io.duet.proxy.routing;

import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds the route of a request and runs it.
 *
 * <p>Order: the virtual host by Host header ({@link HostTable}) (its error pages apply from then on; while its
 * maintenance switch is on, its maintenance answer is the answer), then its routes in document order; the first
 * route whose every condition holds wins. A route with a body condition makes the router buffer the first bytes
 * of the body (asynchronously; the bytes are put back so the body is still forwarded whole) before that route
 * and the ones after it are tried.
 */
public final class Router {
    private Router() {
    }

    /**
     * Routes the exchange. I/O thread; never blocks.
     *
     * @param path     the canonical path
     * @param ctx      the request's context, told the route before its handler runs (its metrics start there)
     * @param notFound runs when no virtual host or no route matches
     */
    public static void route(HttpServerExchange exchange, HostTable<VirtualHostRoutes> hosts, String path,
                             RequestContext ctx, HttpHandler notFound) throws Exception {
        VirtualHostRoutes vh = hosts.lookup(exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.HOST));
        if (vh == null) {
            notFound.handleRequest(exchange);
            return;
        }
        ctx.pages(vh.pages()); // from here on, Duet's own answers use the host's pages
        if (vh.maintenance() != null) {
            vh.maintenance().handleRequest(exchange); // the host's maintenance switch is on: 503 for every request
            return;
        }
        HttpsRedirector https = vh.httpsRedirect();
        if (https != null && exchange.getConnection().getSslSessionInfo() == null && https.send(exchange)) {
            return;
        }
        route(exchange, vh.routes(), 0, path, ctx, notFound);
    }

    private static void route(HttpServerExchange exchange, List<CompiledRoute> routes, int from, String path,
                              RequestContext ctx, HttpHandler notFound) throws Exception {
        for (int i = from, n = routes.size(); i < n; i++) {
            CompiledRoute r = routes.get(i);
            if (!r.matchesWithoutBody(exchange, path)) {
                continue;
            }
            if (r.needsBody()) {
                byte[] body = ctx.bodyPrefix();
                if (body == null) {
                    bufferThenRoute(exchange, routes, i, path, ctx, notFound, r.bodyMaxBytes());
                    return;
                }
                // The prefix may be longer than this route's maxBytes (a later route wanted more): cut it in bytes.
                String inspected = new String(body, 0, Math.min(body.length, r.bodyMaxBytes()), StandardCharsets.UTF_8);
                if (!r.bodyPattern().matcher(inspected).find()) {
                    continue;
                }
            }
            ctx.routeChosen(r);
            r.handler().handleRequest(exchange);
            return;
        }
        notFound.handleRequest(exchange);
    }

    /** Buffers the body prefix the remaining routes may need, then resumes routing at route {@code from}. */
    private static void bufferThenRoute(HttpServerExchange exchange, List<CompiledRoute> routes, int from, String path,
                                        RequestContext ctx, HttpHandler notFound, int firstNeed) throws Exception {
        int need = firstNeed;
        for (int i = from + 1; i < routes.size(); i++) {
            need = Math.max(need, routes.get(i).bodyMaxBytes());
        }
        BodyPrefixReader.read(exchange, need, ex -> route(ex, routes, from, path, ctx, notFound));
    }
}
