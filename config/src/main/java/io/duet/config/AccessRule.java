package io.duet.config;

import java.util.List;

/**
 * Who may use a listener or a route, by client address (the real one: after the PROXY protocol and a trusted
 * proxy's X-Forwarded-For). Each entry of {@code allow} and {@code deny} names an {@link AddressList} or is a CIDR
 * block or single address.
 *
 * @param allow     when not empty, only these clients are let through
 * @param deny      these clients are refused
 * @param action    what a refused client gets: {@code deny} (default), {@code tarpit} (held, then denied) or
 *                  {@code redirect}
 * @param status    the status of a denial (default 403)
 * @param tarpitMs  how long a tarpitted request is held before its denial
 * @param location  where {@code redirect} sends a refused client
 */
public record AccessRule(List<String> allow, List<String> deny, String action, Integer status, Long tarpitMs,
                         String location) {
    public static final String DENY = "deny";
    public static final String TARPIT = "tarpit";
    public static final String REDIRECT = "redirect";
    public static final List<String> ACTIONS = List.of(DENY, TARPIT, REDIRECT);
    public static final int DEFAULT_STATUS = 403;

    public AccessRule {
        allow = Lists.copy(allow);
        deny = Lists.copy(deny);
        action = action == null ? DENY : action;
        status = status == null ? DEFAULT_STATUS : status;
    }
}
