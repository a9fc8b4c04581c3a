package io.duet.admin.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The login backoff, per address and per address and account, on a clock the test moves. */
class LoginThrottleTest {
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static void fail(LoginThrottle t, String account, String address) {
        LoginThrottle.Attempt a = t.begin(account, address);
        assertThat(a.waitMs()).as(account + " from " + address).isZero();
        a.failed();
    }

    // Per address and account: the allowance, then 1 s, 2 s, ... after the last failure; a success clears it. The
    // same account from another address is not affected; an address trying many accounts is slowed for all of them
    // after its own (larger) allowance; everything fades after an hour.
    @Test
    void backoffDoublesPerAddressAndAccountAndFades() {
        Moving clock = new Moving();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            fail(t, "alice", "10.0.0.1");
        }
        assertThat(t.begin("alice", "10.0.0.1").waitMs()).isEqualTo(1000);
        assertThat(t.begin("alice", "10.0.0.2").waitMs()).as("the account from another address").isZero();
        clock.now = clock.now.plusMillis(1000);
        fail(t, "alice", "10.0.0.1");
        assertThat(t.begin("alice", "10.0.0.1").waitMs()).isEqualTo(2000);
        clock.now = clock.now.plusMillis(2000);
        t.begin("alice", "10.0.0.1").succeeded();
        assertThat(t.begin("alice", "10.0.0.1").waitMs()).isZero();

        for (int i = 0; i < LoginThrottle.FREE_PER_ADDRESS; i++) {
            fail(t, "u" + i, "192.0.2.1"); // one address trying many accounts
        }
        assertThat(t.begin("anyone", "192.0.2.1").waitMs()).isEqualTo(1000);
        for (int i = 0; i < 30; i++) {
            clock.now = clock.now.plusMillis(LoginThrottle.MAX_DELAY_MS);
            fail(t, "v" + i, "192.0.2.1");
        }
        assertThat(t.begin("anyone", "192.0.2.1").waitMs()).isEqualTo(LoginThrottle.MAX_DELAY_MS);
        clock.now = clock.now.plus(Duration.ofMillis(LoginThrottle.FORGET_MS + 1));
        assertThat(t.begin("anyone", "192.0.2.1").waitMs()).isZero();
    }

    // Reservations count before the password is checked: with the allowance in flight a further attempt waits, one
    // that ends without a check (node busy) gives its place back, and past the backoff only one attempt at a time.
    @Test
    void attemptsInFlightCountAgainstTheAllowance() {
        Moving clock = new Moving();
        LoginThrottle t = new LoginThrottle(clock);
        java.util.List<LoginThrottle.Attempt> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            LoginThrottle.Attempt a = t.begin("bob", "10.0.0.9");
            assertThat(a.waitMs()).isZero();
            inFlight.add(a);
        }
        assertThat(t.begin("bob", "10.0.0.9").waitMs()).isEqualTo(LoginThrottle.IN_FLIGHT_WAIT_MS);
        inFlight.remove(0).abandoned();
        LoginThrottle.Attempt again = t.begin("bob", "10.0.0.9");
        assertThat(again.waitMs()).isZero();
        inFlight.add(again);
        inFlight.forEach(LoginThrottle.Attempt::failed);
        inFlight.forEach(LoginThrottle.Attempt::failed); // ending twice changes nothing
        assertThat(t.begin("bob", "10.0.0.9").waitMs()).isEqualTo(1000);
        clock.now = clock.now.plusMillis(1000);
        LoginThrottle.Attempt probe = t.begin("bob", "10.0.0.9");
        assertThat(probe.waitMs()).isZero();
        assertThat(t.begin("bob", "10.0.0.9").waitMs()).as("one at a time past the backoff")
                .isEqualTo(LoginThrottle.IN_FLIGHT_WAIT_MS);
        probe.succeeded();
        assertThat(t.begin("bob", "10.0.0.9").waitMs()).isZero();
    }

    // IPv6 clients count per /64 (one client's usual block); IPv4 per address.
    @Test
    void ipv6CountsPerSlash64() {
        assertThat(LoginThrottle.addressBlock("2001:db8:1:2:aaaa::1"))
                .isEqualTo(LoginThrottle.addressBlock("2001:db8:1:2:bbbb::2")).isEqualTo("2001:db8:1:2::/64");
        assertThat(LoginThrottle.addressBlock("2001:db8:1:3::1")).isNotEqualTo("2001:db8:1:2::/64");
        assertThat(LoginThrottle.addressBlock("192.0.2.1")).isEqualTo("192.0.2.1");
    }
}
