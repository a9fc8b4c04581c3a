package io.duet.config;

/**
 * A regex searched in the request body. The body is buffered up to {@code maxBytes} (default 8 KiB, at most
 * 64 KiB) before routing; a longer body is matched on its first {@code maxBytes} bytes and still forwarded whole.
 *
 * @param regex    Java regex, searched (find), on the body decoded as UTF-8
 * @param maxBytes bytes to inspect
 */
public record BodyMatch(String regex, Integer maxBytes) {
    public static final int DEFAULT_MAX_BYTES = 8 * 1024;
    public static final int LIMIT_MAX_BYTES = 64 * 1024;

    public BodyMatch {
        maxBytes = maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
    }
}
