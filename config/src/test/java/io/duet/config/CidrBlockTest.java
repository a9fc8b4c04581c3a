package io.duet.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class CidrBlockTest {

    // Addresses and blocks of both families parse; a single address is a full-length block.
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "192.168.1.7", "255.255.255.255/32", "::1", "fd00::/8",
            "2001:db8::/32", "::/0", "::ffff:10.0.0.1", "2001:DB8::1/128"})
    void parsesValidBlocks(String text) {
        assertThat(CidrBlock.parse(text)).isPresent();
    }

    // Malformed text, host names and out-of-range parts are rejected without any DNS lookup.
    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "fe80::/129", "10.0.0.300", "10.0.0", "10", "010.0.0.1", "10.0.0.0/",
            "10.0.0.0/08", "localhost", "example.com", "fe80::1%eth0", "[::1]", "1.2.3.4/-1", "::1/x", "1::2::3"})
    void rejectsInvalidBlocks(String text) {
        assertThat(CidrBlock.parse(text)).isEmpty();
    }

    // contains() compares the prefix bits only, within one address family.
    @Test
    void containsChecksPrefixBits() throws Exception {
        CidrBlock ten = CidrBlock.parse("10.1.2.3/12").orElseThrow();
        assertThat(ten.contains(InetAddress.getByName("10.15.255.255"))).isTrue();
        assertThat(ten.contains(InetAddress.getByName("10.16.0.0"))).isFalse();
        assertThat(ten.contains(InetAddress.getByName("::1"))).isFalse();
        CidrBlock v6 = CidrBlock.parse("fd00::/8").orElseThrow();
        assertThat(v6.contains(InetAddress.getByName("fd12:3456::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").orElseThrow().contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    }

    // An IPv4-mapped IPv6 client address is matched against IPv4 blocks, and anyContains checks every block.
    @Test
    void ipv4MappedAddressesMatchIpv4Blocks() throws Exception {
        CidrBlock v4 = CidrBlock.parse("192.0.2.0/24").orElseThrow();
        java.net.InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7}, null);
        assertThat(v4.contains(mapped)).isTrue();
        assertThat(CidrBlock.anyContains(java.util.List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow(), v4), mapped))
                .isTrue();
        assertThat(CidrBlock.anyContains(java.util.List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow()), mapped))
                .isFalse();
    }
}
