package io.duet.config;

import java.util.List;

/**
 * Who may use a listener or a route, by client address (the real one: after the PROXY protocol and a trusted
 * proxy's X-Forwarded-For). Each entry of {@code allow} and {@code deny} names an {@link AddressList} or is a CIDR
 * block or single address. A client in {@code deny} is refused even when it is also in {@code allow} (deny wins);
 * when {@code allow} is not empty, a client in none of its entries is refused too.
 *
 * @param allow     when not empty, only these clients are let through
 * @param deny      these clients are refused
 * @param action    what a refused client gets: {@code deny} (default), {@code tarpit} (held, then denied) or
 *                  {@code redirect}
 * @param status    the status of the answer: 400-599 for deny and tarpit (default 403), 301, 302, 303, 307 or 308
 *                  for redirect (default 302)
 * @param tarpitMs  how long a tarpitted request is held before its denial: 1-60000 ms (default 5000 for tarpit;
 *                  only for tarpit)
 * @param location  where {@code redirect} sends a refused client (required for redirect, only for redirect); the
 *                  placeholders of a route's redirect ({@code {host}}, {@code {path}}, ...) work here too
 */
public record AccessRule(List<String> allow, List<String> deny, String action, Integer status, Long tarpitMs,
                         String location) {
    public static final String DENY = "deny";
    public static final String TARPIT = "tarpit";
    public static final String REDIRECT = "redirect";
    public static final List<String> ACTIONS = List.of(DENY, TARPIT, REDIRECT);
    public static final int DEFAULT_STATUS = 403;
    public static final int DEFAULT_REDIRECT_STATUS = 302;
    public static final long DEFAULT_TARPIT_MS = 5000;
    public static final long MAX_TARPIT_MS = 60_000;

    public AccessRule {
        allow = Lists.copy(allow);
        deny = Lists.copy(deny);
        action = action == null ? DENY : action;
        status = status == null ? (REDIRECT.equals(action) ? DEFAULT_REDIRECT_STATUS : DEFAULT_STATUS) : status;
        tarpitMs = tarpitMs == null && TARPIT.equals(action) ? Long.valueOf(DEFAULT_TARPIT_MS) : tarpitMs;
    }

    /** Only {@code allow} (deny action). */
    public static AccessRule allowOnly(List<String> allow) {
        return new AccessRule(allow, null, null, null, null, null);
    }

    /** Only {@code deny} (deny action). */
    public static AccessRule denyOnly(List<String> deny) {
        return new AccessRule(null, deny, null, null, null, null);
    }
}
