package io.duet.config;

/**
 * HTTP Strict Transport Security on an {@code https} listener's responses.
 *
 * @param enabled           off by default (once browsers saw it, they refuse plain HTTP for {@code maxAgeSeconds})
 * @param maxAgeSeconds     0-63072000 (2 years); default 31536000 (1 year)
 * @param includeSubDomains adds {@code includeSubDomains}
 * @param preload           adds {@code preload}; needs {@code includeSubDomains} and at least one year
 */
public record Hsts(Boolean enabled, Long maxAgeSeconds, Boolean includeSubDomains, Boolean preload) {
    public static final long DEFAULT_MAX_AGE_SECONDS = 31_536_000L;
    public static final long MAX_MAX_AGE_SECONDS = 2 * DEFAULT_MAX_AGE_SECONDS;

    public Hsts {
        enabled = enabled != null && enabled;
        maxAgeSeconds = maxAgeSeconds == null ? DEFAULT_MAX_AGE_SECONDS : maxAgeSeconds;
        includeSubDomains = includeSubDomains != null && includeSubDomains;
        preload = preload != null && preload;
    }

    public static Hsts disabled() {
        return new Hsts(false, null, null, null);
    }

    /** The header value, e.g. {@code max-age=31536000; includeSubDomains}. */
    public String headerValue() {
        return "max-age=" + maxAgeSeconds + (includeSubDomains ? "; includeSubDomains" : "") + (preload ? "; preload" : "");
    }
}
