package io.duet.proxy.forward;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A set of CIDR blocks (IPv4 and IPv6) tested without allocation. Built from validated strings such as
 * {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code ::1}; an IPv4-mapped IPv6 client address matches IPv4 blocks.
 */
public final class TrustedAddresses {
    private final byte[][] networks;
    private final int[] prefixes;

    private TrustedAddresses(byte[][] networks, int[] prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    public static TrustedAddresses of(List<String> cidrs) {
        byte[][] nets = new byte[cidrs.size()][];
        int[] pre = new int[cidrs.size()];
        for (int i = 0; i < cidrs.size(); i++) {
            String c = cidrs.get(i).trim();
            int slash = c.indexOf('/');
            String addr = slash >= 0 ? c.substring(0, slash) : c;
            try {
                nets[i] = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + c, e);
            }
            pre[i] = slash >= 0 ? Integer.parseInt(c.substring(slash + 1)) : nets[i].length * 8;
        }
        return new TrustedAddresses(nets, pre);
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }

    /** True when the address is inside one of the blocks. Any thread. */
    public boolean contains(InetAddress address) {
        if (address == null || networks.length == 0) {
            return false;
        }
        byte[] a = address.getAddress();
        for (int i = 0; i < networks.length; i++) {
            byte[] n = networks[i];
            if (n.length == a.length) {
                if (matches(a, 0, n, prefixes[i])) {
                    return true;
                }
            } else if (n.length == 4 && a.length == 16 && isV4Mapped(a)) {
                if (matches(a, 12, n, prefixes[i])) {
                    return true;
                }
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

    private static boolean matches(byte[] a, int offset, byte[] net, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[offset + i] != net[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[offset + full] & mask) == (net[full] & mask);
    }
}
