package io.duet.proxy.edge;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address blocks used for PROXY protocol trust. */
class CidrTest {

    // Membership for IPv4, IPv6, single addresses and IPv4-mapped IPv6.
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.7, 192.168.1.7, true",
        "192.168.1.7, 192.168.1.8, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "::1, ::1, true",
        "::1, ::2, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "127.0.0.0/8, ::ffff:127.0.0.1, true",
        "::1, 127.0.0.1, false",
    })
    void contains(String block, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(block).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    // Names, bad prefixes and garbage are refused (never resolved).
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/x", "", "10.0.0.0/-1"})
    void rejects(String block) {
        assertThatThrownBy(() -> Cidr.parse(block)).isInstanceOf(IllegalArgumentException.class);
    }
}
