package io.duet.config;

import java.util.List;

/**
 * The request key the {@code hash}, {@code lblc} and {@code lblcr} balancers hash.
 *
 * @param source {@code uri} (path and query), {@code path}, {@code header}, {@code cookie} or {@code query}
 * @param name   the header, cookie or query parameter name (those sources only)
 */
public record HashKey(String source, String name) {
    public static final String URI = "uri";
    public static final String PATH = "path";
    public static final String HEADER = "header";
    public static final String COOKIE = "cookie";
    public static final String QUERY = "query";
    public static final List<String> SOURCES = List.of(URI, PATH, HEADER, COOKIE, QUERY);

    /** True for the sources that need a {@link #name()}. */
    public static boolean named(String source) {
        return HEADER.equals(source) || COOKIE.equals(source) || QUERY.equals(source);
    }
}
