package io.duet.admin.api;

import io.undertow.server.HttpServerExchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One API call as the services see it: the exchange, the path under {@code /api/v1}, the route it reached with its
 * parameters, and the caller once {@link Authentication} has run (null on a public route). One worker thread.
 */
public final class Request {
    private final HttpServerExchange exchange;
    private final String path;
    private final Route route;
    private final Map<String, String> params;
    private Caller caller;

    Request(HttpServerExchange exchange, String path, Route route, Map<String, String> params) {
        this.exchange = exchange;
        this.path = path;
        this.route = route;
        this.params = params;
    }

    public HttpServerExchange exchange() {
        return exchange;
    }

    /** The path under the prefix, e.g. {@code /pools/api}. */
    public String path() {
        return path;
    }

    public Route route() {
        return route;
    }

    /** The path parameter {@code name} of the route's pattern, as the path has it. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route " + route.pattern() + " has no parameter " + name);
        }
        return v;
    }

    /** The path's segments, each URL-decoded once more (names of document parts may be percent-encoded). */
    public List<String> decodedSegments() {
        List<String> out = new ArrayList<>();
        for (String s : RouteTable.split(path)) {
            out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Who is calling (null on a public route). */
    public Caller caller() {
        return caller;
    }

    void caller(Caller c) {
        this.caller = c;
    }
}
