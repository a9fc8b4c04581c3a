package io.duet.admin.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * The headers every admin response carries: a strict Content Security Policy (scripts, styles and data from this
 * origin only; no framing), HSTS, no MIME sniffing, no referrer, no cross-origin embedding.
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static void apply(HttpServerExchange ex) {
        var h = ex.getResponseHeaders();
        h.put(new HttpString("Content-Security-Policy"), CSP);
        h.put(new HttpString("Strict-Transport-Security"), "max-age=31536000");
        h.put(new HttpString("X-Content-Type-Options"), "nosniff");
        h.put(new HttpString("Referrer-Policy"), "no-referrer");
        h.put(new HttpString("X-Frame-Options"), "DENY");
        h.put(new HttpString("Cross-Origin-Opener-Policy"), "same-origin");
        h.put(new HttpString("Cross-Origin-Resource-Policy"), "same-origin");
    }
}
