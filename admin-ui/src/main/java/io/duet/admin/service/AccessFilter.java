package io.duet.admin.service;

import java.util.Locale;

/**
 * Which access records a live tail shows ({@link LiveNode#accessTail}): each part null or 0 matches everything.
 *
 * @param host       the request's Host without its port, or the virtual host it matched (case-insensitive)
 * @param route      the route's name, or {@code vhost/route}
 * @param statusFrom the lowest status shown (inclusive); 0: any
 * @param statusTo   the highest status shown (inclusive)
 */
public record AccessFilter(String host, String route, int statusFrom, int statusTo) {
    /** Everything. */
    public static final AccessFilter ALL = new AccessFilter(null, null, 0, 999);

    /** True when a record with these fields is shown. Any thread. */
    public boolean matches(String recordHost, String vhost, String recordRoute, int status) {
        if (host != null && !host.equalsIgnoreCase(stripPort(recordHost)) && !host.equalsIgnoreCase(vhost)) {
            return false;
        }
        if (route != null && !route.equals(recordRoute) && !route.equals(vhost + "/" + recordRoute)) {
            return false;
        }
        return statusFrom == 0 || status >= statusFrom && status <= statusTo;
    }

    private static String stripPort(String host) {
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        boolean port = colon > 0 && host.indexOf(']') < colon && host.indexOf(':') == colon;
        boolean bracketed = colon > 0 && host.startsWith("[") && host.charAt(colon - 1) == ']';
        return (port || bracketed ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
    }
}
