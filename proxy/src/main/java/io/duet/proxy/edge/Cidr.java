package io.duet.proxy.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code ::1}, {@code 192.0.2.7}). An IPv4 block also
 * matches the IPv4-mapped IPv6 form of its addresses. Immutable; thread-safe.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses a block; a bare address is a block of one. Only literal addresses: never resolves a name.
     *
     * @throws IllegalArgumentException when the text is not a literal address with an optional prefix length
     */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.isEmpty() || !addr.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
            throw new IllegalArgumentException("address block: " + text + " (expected: an IP address, optionally /prefix)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address block: " + text + " (expected: an IP address, optionally /prefix)");
        }
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("address block: " + text + " (expected: prefix 0-" + max + ")");
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** True when any of the blocks contains the address. */
    public static boolean anyContains(List<Cidr> blocks, InetAddress address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when the address lies inside this block. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(a, prefix), network);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
