package io.duet.proxy.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GCRA over the bounded table, on an explicit clock: bursts, refill, delay, eviction and the pair's seam. */
class LimitTableTest {
    private static final long S = 1_000_000_000L;
    private static final long NOW = 3_600 * S;
    private static final long IV = S / 10; // 10 per second

    // A quiet key may send its burst at once; the next waits one interval; time refills it.
    @Test
    void aBurstThenOneRequestPerInterval() {
        LimitTable t = new LimitTable(1000);
        long key = RequestKeys.mix(42);
        for (int i = 0; i < 5; i++) {
            assertThat(t.acquire(key, NOW, IV, 4 * IV, 0)).isZero();
        }
        assertThat(t.acquire(key, NOW, IV, 4 * IV, 0)).as("refused, allowed again in one interval").isEqualTo(-IV);
        assertThat(t.acquire(key, NOW + IV, IV, 4 * IV, 0)).isZero();
        assertThat(t.acquire(RequestKeys.mix(43), NOW, IV, 4 * IV, 0)).as("another key").isZero();
    }

    // delay: within maxWait the request is counted and told how long to wait; beyond, refused and not counted.
    @Test
    void delayReservesWithinTheBound() {
        LimitTable t = new LimitTable(1000);
        long key = RequestKeys.mix(1);
        assertThat(t.acquire(key, NOW, IV, 0, 2 * IV)).isZero();
        assertThat(t.acquire(key, NOW, IV, 0, 2 * IV)).isEqualTo(IV);
        assertThat(t.acquire(key, NOW, IV, 0, 2 * IV)).isEqualTo(2 * IV);
        assertThat(t.acquire(key, NOW, IV, 0, 2 * IV)).isEqualTo(-3 * IV);
        assertThat(t.debt(key, NOW)).isEqualTo(3 * IV);
    }

    // At its bound the table keeps its size: expired keys go first, then the key with the least debt.
    @Test
    void evictionKeepsTheSizeAndForgetsTheLeastIndebtedFirst() {
        LimitTable t = new LimitTable(12);
        assertThat(t.capacity()).isEqualTo(16);
        assertThat(new LimitTable(1_000_000).capacity()).isEqualTo(2_097_152);
        long heavy = RequestKeys.mix(-1);
        for (int i = 0; i < 8; i++) {
            t.acquire(heavy, NOW, IV, 100 * IV, 0); // 8 intervals of debt
        }
        for (int k = 0; k < 1000; k++) {
            t.acquire(RequestKeys.mix(k + 1), NOW, IV, 100 * IV, 0); // one interval of debt each
        }
        assertThat(t.liveKeys(NOW)).isEqualTo(16);
        assertThat(t.evictions()).isGreaterThanOrEqualTo(1000 - 15);
        assertThat(t.debt(heavy, NOW)).as("the most indebted key stays").isEqualTo(8 * IV);
        // Once every debt is paid, every slot is free for reuse.
        assertThat(t.liveKeys(NOW + 9 * IV)).isZero();
    }

    // In flight: at most max per key; a slot with requests in flight is never evicted, so its count is never lost.
    @Test
    void inFlightIsBoundedAndNeverEvicted() {
        LimitTable t = new LimitTable(12, true);
        long key = RequestKeys.mix(5);
        int slot = t.enter(key, NOW, 2);
        assertThat(slot).isNotNegative();
        assertThat(t.enter(key, NOW, 2)).isEqualTo(slot);
        assertThat(t.enter(key, NOW, 2)).as("a third at once").isEqualTo(-1);
        for (int k = 0; k < 1000; k++) {
            t.acquire(RequestKeys.mix(k + 100), NOW, IV, 0, 0); // a flood of other keys
        }
        assertThat(t.inFlight()).isEqualTo(2);
        assertThat(t.enter(key, NOW, 2)).as("still two in flight").isEqualTo(-1);
        t.leave(slot);
        assertThat(t.enter(key, NOW, 2)).isEqualTo(slot);
    }

    // The pair's seam: this node's admissions drain once; the peer's are charged as if they had come here.
    @Test
    void admissionsDrainOnceAndThePeersAreCharged() {
        LimitTable t = new LimitTable(1000);
        long a = RequestKeys.mix(7);
        long b = RequestKeys.mix(8);
        t.acquire(a, NOW, IV, 9 * IV, 0);
        t.acquire(a, NOW, IV, 9 * IV, 0);
        t.acquire(b, NOW, IV, 9 * IV, 0);
        Map<Long, Integer> sent = new HashMap<>();
        t.drainUnreported(sent::put);
        assertThat(sent).containsOnly(Map.entry(a, 2), Map.entry(b, 1));
        sent.clear();
        t.drainUnreported(sent::put);
        assertThat(sent).isEmpty();
        t.charge(a, 8, NOW, IV); // the peer let 8 of a's requests in: a's 10 are used up
        assertThat(t.acquire(a, NOW, IV, 9 * IV, 0)).isNegative();
        long c = RequestKeys.mix(9);
        t.charge(c, 10, NOW, IV); // a key only the peer saw
        assertThat(t.acquire(c, NOW, IV, 9 * IV, 0)).isNegative();
    }
}
