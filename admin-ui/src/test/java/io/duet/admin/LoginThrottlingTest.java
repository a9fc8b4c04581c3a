package io.duet.admin;

import io.duet.admin.auth.LoginThrottle;
import io.duet.admin.auth.Passwords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login throttling on the real admin listener, with real clients on two loopback addresses: attempts are counted
 * before the password is hashed (parallel attempts cannot slip past the allowance), and failures from one address
 * never lock the user out from another.
 */
class LoginThrottlingTest {
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    // 20 wrong passwords for one user sent at once from one address: exactly the allowance (5) is checked and
    // answered 401, every other attempt 429 - the same as 20 attempts one after the other.
    @Test
    void parallelWrongPasswordsGetExactlyTheAllowance() throws Exception {
        admin.fixture().firstAdmin();
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String password = "wrong-password-" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return admin.fixture().from("127.0.0.1", "POST", "/session",
                            AdminFixture.loginBody("admin", password))
                            .status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(s -> s == 401).hasSize(LoginThrottle.FREE);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(attempts - LoginThrottle.FREE);
        } finally {
            pool.shutdownNow();
        }
    }

    // While the node hashes as many passwords as it allows (here: a test holds every turn), a login waits up to
    // 5 s for a turn, then gets 503 with Retry-After; that attempt is not counted against the allowance.
    @Test
    void aNodeBusyHashingAnswers503AndCountsNothing() throws Exception {
        String password = admin.fixture().firstAdmin();
        Passwords.HASHING.acquire(Passwords.MAX_CONCURRENT);
        AdminFixture.Raw busy;
        try {
            busy = admin.fixture().from("127.0.0.1", "POST", "/session", AdminFixture.loginBody("admin",
                    "wrong-password"));
        } finally {
            Passwords.HASHING.release(Passwords.MAX_CONCURRENT);
        }
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.body()).contains("DUET-ADMIN-0152");
        for (int i = 0; i < LoginThrottle.FREE - 1; i++) {
            assertThat(admin.fixture().from("127.0.0.1", "POST", "/session", AdminFixture.loginBody("admin",
                    "wrong-" + i))
                    .status()).isEqualTo(401);
        }
        assertThat(admin.fixture().from("127.0.0.1", "POST", "/session", AdminFixture.loginBody("admin",
                password)).status())
                .as("the busy attempt was not a failure").isEqualTo(200);
    }

    // Anyone who can reach the port tries admin's password from 127.0.0.2 until throttled; admin, from 127.0.0.1,
    // still logs in at once (no lock-out of the account for everyone), while 127.0.0.2 stays throttled.
    @Test
    void failuresFromOneAddressDoNotLockTheUserOutFromAnother() throws Exception {
        String password = admin.fixture().firstAdmin();
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            assertThat(admin.fixture().from("127.0.0.2", "POST", "/session", AdminFixture.loginBody("admin",
                    "guess-" + i))
                    .status()).isEqualTo(401);
        }
        AdminFixture.Raw attacker = admin.fixture().from("127.0.0.2", "POST", "/session",
                AdminFixture.loginBody("admin", "guess-again"));
        assertThat(attacker.status()).isEqualTo(429);
        assertThat(attacker.body()).contains("DUET-ADMIN-0102");

        AdminFixture.Raw owner = admin.fixture().from("127.0.0.1", "POST", "/session", AdminFixture.loginBody("admin",
                password));
        assertThat(owner.status()).as(owner.body()).isEqualTo(200);
        assertThat(admin.fixture().from("127.0.0.2", "POST", "/session", AdminFixture.loginBody("admin",
                password)).status())
                .as("the throttled address waits, even with the right password").isEqualTo(429);
    }
}
