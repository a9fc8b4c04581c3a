package io.duet.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The login backoff, per account and per address, on a clock the test moves. */
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

    @Test
    void backoffDoublesPerAccountAndPerAddressAndFades() {
        Moving clock = new Moving();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            assertThat(t.waitMs("alice", "10.0.0." + i)).isZero();
            t.failed("alice", "10.0.0." + i); // from five addresses: the account is what counts here
        }
        assertThat(t.waitMs("alice", "10.0.0.99")).isEqualTo(1000);
        assertThat(t.waitMs("bob", "10.0.0.99")).as("another account from a fresh address").isZero();
        clock.now = clock.now.plusMillis(1000);
        assertThat(t.waitMs("alice", "10.0.0.99")).isZero();
        t.failed("alice", "10.0.0.99");
        assertThat(t.waitMs("alice", "10.0.0.98")).isEqualTo(2000);
        t.succeeded("alice");
        assertThat(t.waitMs("alice", "10.0.0.98")).isZero();

        for (int i = 0; i < 30; i++) {
            t.failed("u" + i, "192.0.2.1"); // one address trying many accounts
        }
        assertThat(t.waitMs("anyone", "192.0.2.1")).isEqualTo(LoginThrottle.MAX_DELAY_MS);
        clock.now = clock.now.plus(Duration.ofMillis(LoginThrottle.FORGET_MS + 1));
        assertThat(t.waitMs("anyone", "192.0.2.1")).isZero();
    }
}
