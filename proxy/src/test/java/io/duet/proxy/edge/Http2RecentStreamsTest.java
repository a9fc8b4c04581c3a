package io.duet.proxy.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring of recent stream ids: what it remembers, and that an idle connection's ring stays small. */
class Http2RecentStreamsTest {

    @Test
    void aFreshRingHoldsNoArrayAndOneStreamOnlyAFewIds() {
        Http2RecentStreams ring = new Http2RecentStreams();
        assertThat(ring.capacity()).isZero();
        assertThat(ring.contains(1)).isFalse();

        ring.add(1);

        assertThat(ring.contains(1)).isTrue();
        assertThat(ring.contains(3)).isFalse();
        assertThat(ring.capacity()).isEqualTo(Http2RecentStreams.FIRST);
    }

    @Test
    void streamZeroAndRepeatsAreNotStored() {
        Http2RecentStreams ring = new Http2RecentStreams();
        ring.add(0);
        assertThat(ring.capacity()).isZero();
        assertThat(ring.contains(0)).isFalse();
        for (int i = 0; i < 10; i++) {
            ring.add(5);
        }
        assertThat(ring.capacity()).isEqualTo(Http2RecentStreams.FIRST);
        assertThat(ring.contains(5)).isTrue();
    }

    @Test
    void growsUpToKeptAndThenForgetsTheOldest() {
        Http2RecentStreams ring = new Http2RecentStreams();
        int total = Http2RecentStreams.KEPT + 40;
        for (int i = 0; i < total; i++) {
            ring.add(2 * i + 1);
            assertThat(ring.contains(2 * i + 1)).as("stream %d just added", 2 * i + 1).isTrue();
        }
        assertThat(ring.capacity()).isEqualTo(Http2RecentStreams.KEPT);
        for (int i = 0; i < total; i++) {
            boolean kept = i >= total - Http2RecentStreams.KEPT;
            assertThat(ring.contains(2 * i + 1)).as("stream %d", 2 * i + 1).isEqualTo(kept);
        }
    }

    @Test
    void everyIdSeenWhileGrowingIsKept() {
        Http2RecentStreams ring = new Http2RecentStreams();
        for (int i = 1; i <= Http2RecentStreams.KEPT; i++) {
            ring.add(i);
        }
        for (int i = 1; i <= Http2RecentStreams.KEPT; i++) {
            assertThat(ring.contains(i)).as("stream %d", i).isTrue();
        }
    }
}
