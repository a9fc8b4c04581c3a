package io.duet.config;

/**
 * The body of one of Duet's own answers (400, 403, 404, 408, 413, 429, 502, 503, 504) on a virtual host.
 *
 * @param status      the status it replaces the body of
 * @param contentType the body's content type
 * @param body        the body
 */
public record ErrorPage(Integer status, String contentType, String body) {
}
