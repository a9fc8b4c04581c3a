package io.duet.config;

/**
 * Answer with a fixed response.
 *
 * @param status      100-599 except 1xx (default 200)
 * @param body        the body (default empty)
 * @param contentType default {@code text/plain; charset=utf-8}
 */
public record FixedResponse(Integer status, String body, String contentType) {
    public FixedResponse {
        status = status == null ? 200 : status;
        body = body == null ? "" : body;
        contentType = contentType == null ? "text/plain; charset=utf-8" : contentType;
    }
}
