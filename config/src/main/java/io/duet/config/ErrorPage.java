package io.duet.config;

import java.util.List;

/**
 * The body of one of Duet's own answers (400, 403, 404, 408, 413, 429, 502, 503, 504) on a virtual host: it
 * replaces Duet's default page (HTML or JSON with the error's id) wherever the proxy answers by itself for a request
 * of that host. The answer keeps its status and headers; only the body and its content type change.
 *
 * @param status      the status it replaces the body of: one of {@link #STATUSES}
 * @param contentType the body's content type, a media type with optional parameters (default
 *                    {@code text/html; charset=utf-8})
 * @param body        the body, sent as UTF-8, at most {@link #MAX_BODY_BYTES} bytes
 */
public record ErrorPage(Integer status, String contentType, String body) {
    /** The statuses of Duet's own answers that a virtual host may give its own body. */
    public static final List<Integer> STATUSES = List.of(400, 403, 404, 408, 413, 429, 502, 503, 504);
    public static final String DEFAULT_CONTENT_TYPE = "text/html; charset=utf-8";
    /** The largest body, in bytes of UTF-8 (64 KiB): a page is kept in memory and sent in one write. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public ErrorPage {
        contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
    }
}
