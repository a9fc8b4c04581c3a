package io.duet.config;

/**
 * The maintenance switch of a virtual host or a route: while on, its requests get a maintenance page with 503 and
 * {@code Retry-After}, and are not forwarded. The page is {@code body} when set, else the host's error page for 503,
 * else Duet's default 503 page.
 *
 * @param enabled     on or off (default off)
 * @param retryAfter  the {@code Retry-After} header, in seconds (default 300)
 * @param contentType the content type of {@code body} (default {@code text/html; charset=utf-8})
 * @param body        the maintenance page, sent as UTF-8, at most {@link ErrorPage#MAX_BODY_BYTES} bytes; none:
 *                    the host's 503 page
 */
public record Maintenance(Boolean enabled, Integer retryAfter, String contentType, String body) {
    public static final int DEFAULT_RETRY_AFTER = 300;
    /** The longest Retry-After, one day. */
    public static final int MAX_RETRY_AFTER = 86_400;

    public Maintenance {
        enabled = enabled != null && enabled;
        retryAfter = retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
        contentType = contentType == null ? ErrorPage.DEFAULT_CONTENT_TYPE : contentType;
    }

    public Maintenance(Boolean enabled) {
        this(enabled, null, null, null);
    }
}
