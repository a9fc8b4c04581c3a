package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.config.HashKey;

/**
 * Reads the request key a {@link HashKey} names from a request: the uri (path and query), the path, or the first
 * value of a header, a cookie or a query parameter. Immutable; I/O threads; reads only what it names.
 */
final class RequestKey {
    private static final int URI = 0;
    private static final int PATH = 1;
    private static final int HEADER = 2;
    private static final int COOKIE = 3;
    private static final int QUERY = 4;

    private final int source;
    private final String name;

    private RequestKey(int source, String name) {
        this.source = source;
        this.name = name;
    }

    /** The reader for this key; {@code null} (lblc, lblcr without hashKey) reads the uri. */
    static RequestKey of(HashKey key) {
        if (key == null || key.source() == null) {
            return new RequestKey(URI, null);
        }
        int source = switch (key.source()) {
            case HashKey.URI -> URI;
            case HashKey.PATH -> PATH;
            case HashKey.HEADER -> HEADER;
            case HashKey.COOKIE -> COOKIE;
            case HashKey.QUERY -> QUERY;
            default -> throw new IllegalArgumentException("unknown hashKey source '" + key.source() + "' (known: "
                    + HashKey.SOURCES + ")");
        };
        return new RequestKey(source, key.name());
    }

    /** The key of this request, or {@code null} when the request does not carry it (header absent, ...). */
    String read(RequestView r) {
        return switch (source) {
            case URI -> r.uri();
            case PATH -> r.path();
            case HEADER -> r.header(name);
            case COOKIE -> r.cookie(name);
            default -> r.queryParameter(name);
        };
    }

}
