package io.duet.proxy.action;

import io.duet.config.Redirect;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers with a redirect built from a location template compiled once. Placeholders: {@code {scheme}},
 * {@code {host}} (the Host header without its port; IPv6 keeps its brackets), {@code {path}} (the request path as
 * the client encoded it), {@code {query}} (the raw query string) and {@code {request_uri}} (path, then {@code ?} and
 * the query when there is one). A {@code ?} written just before {@code {query}} is left out when the query is empty.
 * The body is empty.
 *
 * <p>Threads: I/O thread; never blocks. Immutable; one instance serves every request of a route.
 */
public final class RedirectHandler implements HttpHandler {

    static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

    private enum Field { SCHEME, HOST, PATH, QUERY, REQUEST_URI }

    /** One piece of the template: a literal, or a field (literal is then null). */
    private record Part(String literal, Field field, boolean questionMarkBeforeQuery) {
    }

    private final int status;
    private final Part[] parts;

    /** Compiles {@code redirect}; rejects a status that is not a redirect or a malformed template. */
    public RedirectHandler(Redirect redirect) {
        if (!STATUSES.contains(redirect.status())) {
            throw new IllegalArgumentException("redirect.status: " + redirect.status() + " (expected: 301, 302, 303, 307 or 308)");
        }
        if (redirect.location() == null || redirect.location().isEmpty()) {
            throw new IllegalArgumentException("redirect.location: empty (expected: a URL or a path)");
        }
        this.status = redirect.status();
        this.parts = compile(redirect.location());
    }

    private static Part[] compile(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("redirect.location: '{' at " + i + " is not closed");
                }
                Field field = switch (template.substring(i + 1, close)) {
                    case "scheme" -> Field.SCHEME;
                    case "host" -> Field.HOST;
                    case "path" -> Field.PATH;
                    case "query" -> Field.QUERY;
                    case "request_uri" -> Field.REQUEST_URI;
                    default -> throw new IllegalArgumentException("redirect.location: unknown placeholder "
                            + template.substring(i, close + 1)
                            + " (expected: {scheme}, {host}, {path}, {query} or {request_uri})");
                };
                boolean questionMark = false;
                if (field == Field.QUERY && literal.length() > 0 && literal.charAt(literal.length() - 1) == '?') {
                    literal.setLength(literal.length() - 1);
                    questionMark = true;
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), null, false));
                    literal.setLength(0);
                }
                parts.add(new Part(null, field, questionMark));
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null, false));
        }
        return parts.toArray(new Part[0]);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.LOCATION, location(exchange));
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }

    /** The location for this request. */
    String location(HttpServerExchange exchange) {
        StringBuilder b = new StringBuilder(128);
        for (Part part : parts) {
            if (part.literal != null) {
                b.append(part.literal);
                continue;
            }
            switch (part.field) {
                case SCHEME -> b.append(exchange.getRequestScheme());
                case HOST -> b.append(host(exchange));
                case PATH -> b.append(rawPath(exchange));
                case QUERY -> {
                    String query = exchange.getQueryString();
                    if (!query.isEmpty()) {
                        if (part.questionMarkBeforeQuery) {
                            b.append('?');
                        }
                        b.append(query);
                    }
                }
                case REQUEST_URI -> {
                    b.append(rawPath(exchange));
                    String query = exchange.getQueryString();
                    if (!query.isEmpty()) {
                        b.append('?').append(query);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String host(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null || host.isBlank()) {
            InetSocketAddress local = exchange.getDestinationAddress();
            String h = local.getHostString();
            return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The request path as the client encoded it (the request URI without scheme and authority). */
    static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int authority = uri.indexOf("//");
            int slash = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }
}
