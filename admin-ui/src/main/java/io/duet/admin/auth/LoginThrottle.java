package io.duet.admin.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Failed password checks slow further ones, counted per client address and per client address and account name
 * (existing or not: the answer must not tell), never per account alone: failures from one address cannot lock an
 * account for anyone else (OWASP: no lock-out an attacker can use for denial of service).
 *
 * <ul>
 *   <li>Per address and account: {@value #FREE} attempts, then each further one must wait 1 s, 2 s, 4 s, ... up to
 *       15 minutes after the last failure. A success clears this count.</li>
 *   <li>Per address (any account, against password spraying): {@value #FREE_PER_ADDRESS} attempts, then the same
 *       backoff. IPv6 addresses count per /64, the block one client usually holds.</li>
 * </ul>
 *
 * <p>Atomic: {@link #begin} reserves the attempt under the lock before the caller hashes the password, and the
 * reservation counts against the allowance until {@link Attempt#failed}, {@link Attempt#succeeded} or
 * {@link Attempt#abandoned} ends it; so 20 parallel attempts get exactly the allowance, as 20 sequential ones do.
 * Counts fade an hour after the last failure. Thread-safe; memory bounded by pruning.
 */
public final class LoginThrottle {
    public static final int FREE = 5;
    public static final int FREE_PER_ADDRESS = 4 * FREE;
    static final long MAX_DELAY_MS = 15 * 60_000L;
    static final long FORGET_MS = 60 * 60_000L;
    /** What a caller refused only because of attempts still being checked is told to wait. */
    static final long IN_FLIGHT_WAIT_MS = 1000;
    private static final int MAX_KEYS = 100_000;

    /** Failures and attempts in flight of one key. Guarded by the throttle's lock. */
    private static final class Count {
        int failures;
        int inFlight;
        long lastFailureMs;
    }

    private final Map<String, Count> counts = new HashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * One reserved password check, or a refusal ({@link #waitMs()} above 0, nothing reserved). A reserved attempt
     * must be ended exactly once; later calls do nothing.
     */
    public final class Attempt {
        private final String addressKey;
        private final String accountKey;
        private final long waitMs;
        private boolean ended;

        private Attempt(String addressKey, String accountKey, long waitMs) {
            this.addressKey = addressKey;
            this.accountKey = accountKey;
            this.waitMs = waitMs;
            this.ended = waitMs > 0;
        }

        /** Milliseconds to wait before trying again; 0 when this attempt may check the password now. */
        public long waitMs() {
            return waitMs;
        }

        /** The password was wrong (or the account unknown). */
        public void failed() {
            end(Outcome.FAILED);
        }

        /** The password was right: the address and account count starts again. */
        public void succeeded() {
            end(Outcome.SUCCEEDED);
        }

        /** The password was not checked after all (the node was busy, an error): counts as nothing. */
        public void abandoned() {
            end(Outcome.ABANDONED);
        }

        private void end(Outcome outcome) {
            synchronized (counts) {
                if (ended) {
                    return;
                }
                ended = true;
                long now = clock.millis();
                for (String key : new String[]{addressKey, accountKey}) {
                    Count c = counts.get(key);
                    if (c == null) {
                        continue;
                    }
                    c.inFlight--;
                    if (outcome == Outcome.FAILED) {
                        c.failures = now - c.lastFailureMs > FORGET_MS ? 1 : c.failures + 1;
                        c.lastFailureMs = now;
                    } else if (outcome == Outcome.SUCCEEDED && key.equals(accountKey)) {
                        c.failures = 0;
                    }
                    if (c.inFlight == 0 && c.failures == 0) {
                        counts.remove(key);
                    }
                }
            }
        }
    }

    private enum Outcome { FAILED, SUCCEEDED, ABANDONED }

    /**
     * Reserves a password check of {@code account} from {@code address}, or says how long to wait. Never blocks
     * for long (a short lock, no hashing).
     */
    public Attempt begin(String account, String address) {
        String addressKey = "a:" + addressBlock(address);
        String accountKey = "u:" + addressBlock(address) + "\n" + account;
        synchronized (counts) {
            long now = clock.millis();
            if (counts.size() > MAX_KEYS) {
                prune(now);
            }
            long wait = Math.max(waitFor(counts.get(addressKey), FREE_PER_ADDRESS, now),
                    waitFor(counts.get(accountKey), FREE, now));
            if (wait > 0) {
                return new Attempt(addressKey, accountKey, wait);
            }
            counts.computeIfAbsent(addressKey, k -> new Count()).inFlight++;
            counts.computeIfAbsent(accountKey, k -> new Count()).inFlight++;
            return new Attempt(addressKey, accountKey, 0);
        }
    }

    /** Keys with attempts in flight or failures (for tests and status). */
    int keys() {
        synchronized (counts) {
            return counts.size();
        }
    }

    /** How long an attempt under this count must wait; 0 when it may go. Holds the lock. */
    private static long waitFor(Count c, int free, long now) {
        if (c == null) {
            return 0;
        }
        int failures = now - c.lastFailureMs > FORGET_MS ? 0 : c.failures;
        if (failures + c.inFlight < free) {
            return 0;
        }
        if (failures >= free) {
            long delay = Math.min(MAX_DELAY_MS, 1000L << Math.min(20, failures - free));
            long left = c.lastFailureMs + delay - now;
            if (left > 0) {
                return left;
            }
            if (c.inFlight == 0) {
                return 0; // past the backoff: one attempt at a time
            }
        }
        return IN_FLIGHT_WAIT_MS; // the allowance is taken by attempts being checked right now
    }

    /** Forgets faded counts; if that is not enough, the counts still below their allowance. Holds the lock. */
    private void prune(long now) {
        counts.values().removeIf(c -> c.inFlight == 0 && now - c.lastFailureMs > FORGET_MS);
        if (counts.size() > MAX_KEYS) {
            counts.values().removeIf(c -> c.inFlight == 0 && c.failures < FREE);
        }
    }

    /** The address as counted: an IPv4 address as it is, an IPv6 address by its /64 block. */
    static String addressBlock(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return String.valueOf(address);
        }
        try {
            byte[] b = InetAddress.getByName(address).getAddress();
            if (b.length != 16) {
                return address;
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return s.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address; // a literal from the socket always parses; never a name lookup here
        }
    }
}
