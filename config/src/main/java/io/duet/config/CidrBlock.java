package io.duet.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a single address is a block of
 * one ({@code /32}, {@code /128}). Parsing never does a DNS lookup. Immutable; any thread.
 *
 * @param network      the address as written, host bits included ({@code 10.1.2.3/8} is accepted)
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record CidrBlock(InetAddress network, int prefixLength) {

    /**
     * Every block of a validated list; a text that is not a block throws, naming {@code field}:
     * {@code "forwarding.trustedProxies: 'x' (expected: an IP address or CIDR block)"}.
     */
    public static java.util.List<CidrBlock> parseAll(java.util.List<String> texts, String field) {
        java.util.List<CidrBlock> blocks = new java.util.ArrayList<>(texts.size());
        for (String t : texts) {
            blocks.add(parse(t).orElseThrow(() -> new IllegalArgumentException(
                    field + ": '" + t + "' (expected: an IP address or CIDR block)")));
        }
        return java.util.List.copyOf(blocks);
    }

    /** The block written as {@code address} or {@code address/prefix}, or empty when it is not one. */
    public static Optional<CidrBlock> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> address = parseIpLiteral(addressPart);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().getAddress().length * 8;
        if (slash < 0) {
            return Optional.of(new CidrBlock(address.get(), bits));
        }
        String prefix = s.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            return Optional.empty();
        }
        int length = Integer.parseInt(prefix);
        return length > bits ? Optional.empty() : Optional.of(new CidrBlock(address.get(), length));
    }

    /**
     * An IP address literal: a dotted-quad IPv4 address (four decimal numbers 0-255, no leading zeros) or an
     * IPv6 address without brackets or zone; empty for anything else. Never resolves a name.
     */
    public static Optional<InetAddress> parseIpLiteral(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                        || (c >= 'A' && c <= 'F');
                if (!ok) {
                    return Optional.empty();
                }
            }
            try {
                // A string with ':' is only ever parsed as an IPv6 literal, never looked up.
                return Optional.of(InetAddress.getByName(text));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        byte[] bytes = ipv4(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * True when {@code address} is inside this block. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is
     * compared as the IPv4 address it carries; otherwise an IPv4 address is never inside an IPv6 block. Any thread;
     * no allocation beyond the address bytes.
     */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        int offset = 0;
        if (a.length != n.length) {
            if (a.length == 16 && n.length == 4 && isV4Mapped(a)) {
                offset = 12;
            } else {
                return false;
            }
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[offset + i] != n[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[offset + full] & mask) == (n[full] & mask);
    }

    /** True when any block of the list contains the address. */
    public static boolean anyContains(java.util.List<CidrBlock> blocks, InetAddress address) {
        for (int i = 0, n = blocks.size(); i < n; i++) {
            if (blocks.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
