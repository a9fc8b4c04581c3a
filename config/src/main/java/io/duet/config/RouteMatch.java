package io.duet.config;

import java.util.List;

/**
 * The conditions of a route. All present conditions must hold (AND); within {@code methods} and
 * {@code contentTypes} any listed value matches (OR). Conditions are evaluated cheapest first: path, method,
 * headers, query, cookies, content type, then the body (which buffers the request body, so it is last).
 *
 * @param path         exact, prefix or regex on the canonical path (no query)
 * @param methods      request method is one of these (upper case)
 * @param sources      the client address (the real one: after the PROXY protocol and a trusted X-Forwarded-For) is
 *                     in one of these: {@link AddressList} names, CIDR blocks or single addresses
 * @param headers      header conditions (name case-insensitive)
 * @param query        query parameter conditions (name case-sensitive)
 * @param cookies      cookie conditions (name case-sensitive)
 * @param contentTypes request Content-Type media type (parameters ignored, case-insensitive) is one of these
 * @param body         a regex searched in the first bytes of the request body
 */
public record RouteMatch(
        PathMatch path,
        List<String> methods,
        List<ValueMatch> headers,
        List<ValueMatch> query,
        List<ValueMatch> cookies,
        List<String> contentTypes,
        BodyMatch body,
        List<String> sources) {

    public RouteMatch {
        sources = Lists.copy(sources);
        methods = Lists.copy(methods);
        headers = Lists.copy(headers);
        query = Lists.copy(query);
        cookies = Lists.copy(cookies);
        contentTypes = Lists.copy(contentTypes);
    }

    public RouteMatch(PathMatch path, List<String> methods, List<ValueMatch> headers, List<ValueMatch> query,
                      List<ValueMatch> cookies, List<String> contentTypes, BodyMatch body) {
        this(path, methods, headers, query, cookies, contentTypes, body, null);
    }

    public static RouteMatch any() {
        return new RouteMatch(null, null, null, null, null, null, null);
    }

    public static RouteMatch pathPrefix(String prefix) {
        return new RouteMatch(new PathMatch(null, prefix, null), null, null, null, null, null, null);
    }

    /** True when only a path condition (or nothing) is set. */
    public boolean pathOnly() {
        return methods.isEmpty() && headers.isEmpty() && query.isEmpty() && cookies.isEmpty()
                && contentTypes.isEmpty() && body == null && sources.isEmpty();
    }
}
