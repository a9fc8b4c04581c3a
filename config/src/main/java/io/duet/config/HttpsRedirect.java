package io.duet.config;

import java.util.List;

/**
 * Redirects a virtual host's plain-HTTP requests to HTTPS (its https listeners serve it as usual).
 *
 * @param enabled off by default
 * @param port    the HTTPS port in the Location (default 443, then left out of the URL)
 * @param status  301 (default), 302, 303, 307 or 308 (307/308 keep the method and body)
 */
public record HttpsRedirect(Boolean enabled, Integer port, Integer status) {
    public static final List<Integer> STATUSES = List.of(301, 302, 303, 307, 308);

    public HttpsRedirect {
        enabled = enabled != null && enabled;
        port = port == null ? 443 : port;
        status = status == null ? 301 : status;
    }

    public static HttpsRedirect disabled() {
        return new HttpsRedirect(false, null, null);
    }
}
