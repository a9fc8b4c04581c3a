package io.duet.proxy.accesslog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecordQueueTest {
    private static AccessRecord record(String requestId) {
        return new AccessRecord(0, null, null, null, null, 200, 0, 0, 0, null, null, null, null, null, null, null,
                requestId, null);
    }

    // The capacity is exact (not rounded up), offer reports the queued count, a full queue refuses at once, and
    // records come out in order across the wrap-around of the slots.
    @Test
    void exactCapacityOrderAndWrapAround() {
        RecordQueue q = new RecordQueue(3);
        assertThat(q.offer(record("a"))).isEqualTo(1);
        assertThat(q.offer(record("b"))).isEqualTo(2);
        assertThat(q.offer(record("c"))).isEqualTo(3);
        assertThat(q.offer(record("d"))).isEqualTo(-1);
        assertThat(q.size()).isEqualTo(3);

        List<String> out = new ArrayList<>();
        assertThat(q.drain(r -> out.add(r.requestId()), 2)).isEqualTo(2);
        assertThat(q.offer(record("e"))).isEqualTo(2);
        assertThat(q.offer(record("f"))).isEqualTo(3);
        assertThat(q.offer(record("g"))).isEqualTo(-1);
        assertThat(q.drain(r -> out.add(r.requestId()), Integer.MAX_VALUE)).isEqualTo(3);
        assertThat(q.drain(r -> out.add(r.requestId()), Integer.MAX_VALUE)).isZero();
        assertThat(out).containsExactly("a", "b", "c", "e", "f");
        assertThat(q.size()).isZero();
    }

    // Four producers race one consumer on a small queue: every record is either refused (full) or taken exactly
    // once, and each producer's records come out in the order it offered them.
    @Test
    void producersRacingTheConsumerLoseNothingUnaccounted() throws Exception {
        RecordQueue q = new RecordQueue(1000);
        int producers = 4;
        int perProducer = 200_000;
        AtomicLong refused = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String name = "p" + p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    if (q.offer(record(name + "-" + i)) < 0) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        Map<String, Integer> last = new HashMap<>();
        long[] taken = {0};
        Thread consumer = new Thread(() -> {
            boolean more = true;
            while (more) {
                boolean wasProducing = producing.get();
                int n = q.drain(r -> {
                    String id = r.requestId();
                    String p = id.substring(0, id.indexOf('-'));
                    int seq = Integer.parseInt(id.substring(id.indexOf('-') + 1));
                    Integer before = last.put(p, seq);
                    if (before != null && before >= seq) {
                        throw new AssertionError(p + " out of order: " + seq + " after " + before);
                    }
                    taken[0]++;
                }, 256);
                more = wasProducing || n > 0;
            }
        });
        consumer.start();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        producing.set(false);
        consumer.join();

        assertThat(taken[0] + refused.get()).isEqualTo((long) producers * perProducer);
        assertThat(taken[0]).isPositive();
        assertThat(q.size()).isZero();
    }
}
