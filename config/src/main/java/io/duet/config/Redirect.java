package io.duet.config;

/**
 * Answer with a redirect.
 *
 * @param status   301, 302, 303, 307 or 308 (default 302)
 * @param location target; may contain {@code {scheme}}, {@code {host}}, {@code {path}}, {@code {query}} and
 *                 {@code {request_uri}} (path plus query), e.g. {@code https://{host}{request_uri}}
 */
public record Redirect(Integer status, String location) {
    public Redirect {
        status = status == null ? 302 : status;
    }
}
