package io.duet.admin;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins slow further attempts, per account name (existing or not: the answer must not tell) and per client
 * address: after {@value #FREE} failures each further attempt must wait 1 s, then 2, 4, ... up to 15 minutes after
 * the last failure. A success clears the account's count (not the address's). Counts fade after an hour without
 * failures. Thread-safe; memory bounded by pruning.
 */
public final class LoginThrottle {
    static final int FREE = 5;
    static final long MAX_DELAY_MS = 15 * 60_000L;
    static final long FORGET_MS = 60 * 60_000L;
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, long lastMs) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds the caller must still wait before trying this account from this address; 0: go ahead. */
    public long waitMs(String account, String address) {
        long now = clock.millis();
        return Math.max(waitFor("u:" + account, now), waitFor("a:" + address, now));
    }

    public void failed(String account, String address) {
        long now = clock.millis();
        if (failures.size() > MAX_KEYS) {
            failures.values().removeIf(f -> now - f.lastMs() > FORGET_MS);
        }
        for (String key : new String[]{"u:" + account, "a:" + address}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(
                    now - old.lastMs() > FORGET_MS ? 1 : old.count() + 1, now));
        }
    }

    public void succeeded(String account) {
        failures.remove("u:" + account);
    }

    private long waitFor(String key, long now) {
        Failures f = failures.get(key);
        if (f == null || f.count() < FREE || now - f.lastMs() > FORGET_MS) {
            return 0;
        }
        long delay = Math.min(MAX_DELAY_MS, 1000L << Math.min(20, f.count() - FREE));
        return Math.max(0, f.lastMs() + delay - now);
    }
}
