package io.duet.proxy.access;

import io.duet.config.CidrBlock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The compiled address set: boundaries, IPv4 and IPv6 apart, IPv4-mapped clients, thousands of entries. */
class AddressSetTest {

    private static AddressSet set(String... blocks) {
        return AddressSet.of(CidrBlock.parseAll(List.of(blocks), "test"));
    }

    private static InetAddress ip(String s) {
        return CidrBlock.parseIpLiteral(s).orElseThrow();
    }

    // A block holds its first and last address and nothing either side; host bits are ignored.
    @Test
    void ipv4Boundaries() {
        AddressSet s = set("10.1.2.3/16", "192.0.2.7");
        assertThat(s.contains(ip("10.1.0.0"))).isTrue();
        assertThat(s.contains(ip("10.1.255.255"))).isTrue();
        assertThat(s.contains(ip("10.0.255.255"))).isFalse();
        assertThat(s.contains(ip("10.2.0.0"))).isFalse();
        assertThat(s.contains(ip("192.0.2.7"))).isTrue();
        assertThat(s.contains(ip("192.0.2.6"))).isFalse();
        assertThat(s.contains(ip("192.0.2.8"))).isFalse();
        assertThat(s.contains(null)).isFalse();
        assertThat(set("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
    }

    // IPv6 blocks at the 64-bit seam and at the top of the space; IPv4 never matches an IPv6 block.
    @Test
    void ipv6Boundaries() {
        AddressSet s = set("2001:db8::/63", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120");
        assertThat(s.contains(ip("2001:db8::"))).isTrue();
        assertThat(s.contains(ip("2001:db8:0:1:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(s.contains(ip("2001:db8:0:2::"))).isFalse();
        assertThat(s.contains(ip("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(s.contains(ip("::1"))).isTrue();
        assertThat(s.contains(ip("::2"))).isFalse();
        assertThat(s.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(s.contains(ip("0.0.0.1"))).isFalse();
        assertThat(set("::/0").contains(ip("2001:db8::1"))).isTrue();
        assertThat(set("::/0").contains(ip("10.0.0.1"))).isFalse();
    }

    // An IPv4-mapped IPv6 client (::ffff:a.b.c.d, a dual-stack socket's view) matches IPv4 entries.
    @Test
    void ipv4MappedClientsMatchIpv4Entries() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[13] = 0;
        mapped[14] = 2;
        mapped[15] = 9;
        InetAddress client = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(client.getAddress()).hasSize(16);
        assertThat(set("192.0.2.0/24").contains(client)).isTrue();
        assertThat(set("198.51.100.0/24").contains(client)).isFalse();
    }

    // Overlapping and adjacent blocks merge into one range; the set stays correct.
    @Test
    void overlappingAndAdjacentBlocksMerge() {
        AddressSet s = set("10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "2001:db8::/64", "2001:db8:0:1::/64");
        assertThat(s.ranges()).isEqualTo(2);
        assertThat(s.contains(ip("10.0.1.255"))).isTrue();
        assertThat(s.contains(ip("10.0.2.0"))).isFalse();
        assertThat(s.contains(ip("2001:db8:0:1::5"))).isTrue();
    }

    // 5000 random /24 and /32 blocks and 3000 IPv6 /48 blocks: every lookup agrees with a linear scan of the
    // blocks, at both ends of each block and just outside them.
    @Test
    void thousandsOfEntriesAgreeWithALinearScan() {
        Random r = new Random(20);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int a = r.nextInt();
            texts.add(((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "."
                    + (a & 0xff) + (i % 2 == 0 ? "/24" : ""));
        }
        for (int i = 0; i < 3000; i++) {
            texts.add(String.format("2001:%x:%x::/48", r.nextInt(0x10000), r.nextInt(0x10000)));
        }
        List<CidrBlock> blocks = CidrBlock.parseAll(texts, "test");
        AddressSet s = AddressSet.of(blocks);
        int checked = 0;
        for (CidrBlock b : blocks) {
            byte[] first = b.network().getAddress();
            int hostBits = first.length * 8 - b.prefixLength();
            for (int k = first.length - 1, bits = hostBits; k >= 0 && bits > 0; k--, bits -= 8) {
                first[k] &= (byte) (0xff << Math.min(8, bits));
            }
            byte[] last = first.clone();
            for (int k = last.length - 1, bits = hostBits; k >= 0 && bits > 0; k--, bits -= 8) {
                last[k] |= (byte) ~(0xff << Math.min(8, bits));
            }
            for (byte[] probe : new byte[][] {first, last, step(first, -1), step(last, 1)}) {
                InetAddress a = address(probe);
                assertThat(s.contains(a)).as("%s", a).isEqualTo(CidrBlock.anyContains(blocks, a));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(32000);
    }

    private static byte[] step(byte[] a, int delta) {
        byte[] b = a.clone();
        for (int i = b.length - 1; i >= 0; i--) {
            int v = (b[i] & 0xff) + delta;
            b[i] = (byte) v;
            if (v >= 0 && v <= 255) {
                break;
            }
        }
        return b;
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
