package io.duet.config;

import java.util.Optional;

/**
 * A parsed syslog address: {@code udp://host:port} or {@code unix:///absolute/path}. Pure; any thread.
 *
 * @param host UDP: an IP address (IPv6 without brackets) or host name; null for unix
 * @param port UDP: 1-65535; 0 for unix
 * @param path unix: the absolute socket path; null for UDP
 */
public record SyslogAddress(String host, int port, String path) {
    /** True for a local datagram socket. */
    public boolean unix() {
        return path != null;
    }

    /** The address, or empty when {@code text} is neither a valid {@code udp://host:port} nor {@code unix:///path}. */
    public static Optional<SyslogAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            if (path.length() < 2 || !path.startsWith("/") || ValidationRun.hasControl(path)) {
                return Optional.empty();
            }
            return Optional.of(new SyslogAddress(null, 0, path));
        }
        if (!text.startsWith("udp://")) {
            return Optional.empty();
        }
        String rest = text.substring("udp://".length());
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                return Optional.empty();
            }
            host = rest.substring(1, close);
            if (CidrBlock.parseIpLiteral(host).isEmpty() || !host.contains(":")) {
                return Optional.empty();
            }
            port = rest.substring(close + 2);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon <= 0 || rest.indexOf(':') != colon) {
                return Optional.empty();
            }
            host = rest.substring(0, colon);
            if (!HostName.isAddress(host)) {
                return Optional.empty();
            }
            port = rest.substring(colon + 1);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p < 1 || p > 65535 ? Optional.empty() : Optional.of(new SyslogAddress(host, p, null));
    }
}
