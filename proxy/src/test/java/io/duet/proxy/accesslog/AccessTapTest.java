package io.duet.proxy.accesslog;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live tail's ring: watched only for a while after a tail, the newest records kept, filters and limits. */
class AccessTapTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private static AccessRecord record(String uri, int status) {
        return new AccessRecord(0, "127.0.0.1", "GET", uri, "HTTP/1.1", status, 0, 0, 10, "h", "v", "r", "p", "s",
                null, null, "id", "l");
    }

    // Nobody asked: not watched; a tail makes it watched for WATCH_MILLIS, then it stops again.
    @Test
    void watchedOnlyForAWhileAfterATail() {
        AccessTap tap = new AccessTap(4, now::get);
        assertThat(tap.watched()).isFalse();
        tap.tail(0, r -> true, 10);
        assertThat(tap.watched()).isTrue();
        now.addAndGet(AccessTap.WATCH_MILLIS);
        assertThat(tap.watched()).isFalse();
    }

    // Six records in a ring of four: the newest four, oldest first, missed set for a since before them.
    @Test
    void keepsTheNewestAndSaysWhatWasMissed() {
        AccessTap tap = new AccessTap(4, now::get);
        for (int i = 1; i <= 6; i++) {
            tap.offer(record("/" + i, i == 5 ? 503 : 200));
        }
        AccessTap.Tail all = tap.tail(0, r -> true, 10);
        assertThat(all.entries()).extracting(e -> e.record().uri()).containsExactly("/3", "/4", "/5", "/6");
        assertThat(all.entries()).extracting(AccessTap.Entry::seq).containsExactly(3L, 4L, 5L, 6L);
        assertThat(all.lastSeq()).isEqualTo(6);
        assertThat(all.missed()).isTrue();
        AccessTap.Tail later = tap.tail(4, r -> true, 10);
        assertThat(later.entries()).extracting(e -> e.record().uri()).containsExactly("/5", "/6");
        assertThat(later.missed()).isFalse();
        assertThat(tap.tail(0, r -> r.status() >= 500, 10).entries()).extracting(e -> e.record().uri())
                .containsExactly("/5");
        assertThat(tap.tail(0, r -> true, 1).entries()).extracting(e -> e.record().uri()).containsExactly("/6");
        assertThat(tap.tail(6, r -> true, 10).entries()).isEmpty();
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new AccessTap(0, now::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity: 0 (expected: 1 or more)");
    }
}
