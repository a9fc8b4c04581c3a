package io.duet.config;

import java.util.Locale;

/**
 * Syntax of host names (DNS names as used in Host headers and server addresses). Pure; any thread.
 *
 * <p>A name is 1-253 characters of dot-separated labels; a label is 1-63 ASCII letters, digits and hyphens and
 * neither starts nor ends with a hyphen. Underscores, a trailing dot and a port are rejected. A name whose labels
 * are all numeric must be a valid IPv4 address. Virtual host names may also be a wildcard: {@code *.} as the
 * whole first label followed by a name ({@code *.example.com}), or a bracketed IPv6 literal ({@code [::1]}).
 */
final class HostName {
    private HostName() {
    }

    /** Why {@code name} is not a host name (plain, no wildcard), or {@code null} when it is one. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "a host name";
        }
        if (name.length() > 253) {
            return "a host name of at most 253 characters";
        }
        if (name.endsWith(".")) {
            return "a host name without a trailing dot";
        }
        if (name.indexOf(':') >= 0) {
            return "a host name without a port";
        }
        String[] labels = name.split("\\.", -1);
        boolean allNumeric = true;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return "a host name made of dot-separated labels of 1-63 characters";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                boolean digit = c >= '0' && c <= '9';
                if (!letter && !digit && c != '-') {
                    return "a host name of letters, digits, hyphens and dots";
                }
                if (!digit) {
                    allNumeric = false;
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "a host name whose labels do not start or end with a hyphen";
            }
        }
        if (allNumeric && CidrBlock.ipv4(name) == null) {
            return "a host name or a valid IPv4 address";
        }
        return null;
    }

    /** Why {@code name} cannot be a virtual host name, or {@code null} when it can. */
    static String virtualHostProblem(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            String inner = name.substring(1, name.length() - 1);
            return inner.indexOf(':') >= 0 && CidrBlock.parseIpLiteral(inner).isPresent()
                    ? null : "a bracketed IPv6 address such as [::1]";
        }
        if (name.startsWith("*.")) {
            String rest = name.substring(2);
            String p = problem(rest);
            return p == null ? null : p.replace("a host name", "a wildcard '*.' followed by a host name");
        }
        if (name.indexOf('*') >= 0) {
            return "a host name, or a wildcard whose whole first label is '*' (e.g. *.example.com)";
        }
        return problem(name);
    }

    /** A valid listener or server address: an IP literal or a host name. */
    static boolean isAddress(String text) {
        return CidrBlock.parseIpLiteral(text).isPresent() || problem(text) == null;
    }

    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
