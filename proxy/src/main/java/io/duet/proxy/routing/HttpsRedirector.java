package io.duet.proxy.routing;

import io.duet.config.HttpsRedirect;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.List;
import java.util.Locale;

/**
 * A virtual host's plain-HTTP to HTTPS redirect: {@code https://HOST[:port]/path?query} with the configured status.
 * HOST is the request's host when it is one of the virtual host's names (exact or wildcard), else the host's first
 * exact name: a default host never reflects an arbitrary Host header into a Location. Immutable; I/O thread.
 */
public final class HttpsRedirector {
    private final int status;
    private final String portSuffix;
    private final List<String> exact;
    private final List<String> wildcardSuffixes; // ".example.com" for "*.example.com"

    HttpsRedirector(HttpsRedirect spec, List<String> hostnames) {
        this.status = spec.status();
        this.portSuffix = spec.port() == 443 ? "" : ":" + spec.port();
        this.exact = hostnames.stream().filter(h -> !h.startsWith("*.")).map(h -> h.toLowerCase(Locale.ROOT))
                .toList();
        this.wildcardSuffixes = hostnames.stream().filter(h -> h.startsWith("*."))
                .map(h -> h.substring(1).toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * Answers the redirect; false when there is no host to redirect to (a default host with only wildcard names and
     * a Host it does not cover): the caller then routes normally.
     */
    boolean send(HttpServerExchange exchange) {
        String host = HostTable.normalise(String.valueOf(exchange.getRequestHeaders().getFirst(Headers.HOST)));
        if (!covers(host)) {
            if (exact.isEmpty()) {
                return false;
            }
            host = exact.get(0);
        }
        StringBuilder location = new StringBuilder(64).append("https://").append(host).append(portSuffix)
                .append(exchange.getRequestURI());
        String query = exchange.getQueryString();
        if (query != null && !query.isEmpty()) {
            location.append('?').append(query);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.LOCATION, location.toString());
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
        return true;
    }

    private boolean covers(String host) {
        if (exact.contains(host)) {
            return true;
        }
        for (String suffix : wildcardSuffixes) {
            if (host.endsWith(suffix) && host.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }
}
