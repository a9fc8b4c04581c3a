package io.duet.cluster.raft;

import io.duet.cluster.vip.Heartbeat;
import io.duet.cluster.vip.Ownership;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The log and snapshot encodings of heartbeats keep the timers each was sent under, and read older ones. */
class CodecTest {
    // A heartbeat carries the lease and margin its sender obeys; one written by an older release (without them) is
    // read as sent under that release's fixed 1.1 s + 0.4 s, so nobody claims its VIPs earlier than it expected.
    @Test
    void heartbeatsCarryTheirTimersAndOlderOnesReadAsTheOldFixedOnes() {
        byte[] beat = Codec.heartbeat("a", Set.of("192.0.2.50"), 41, 7, 123_456, 800, 250);
        Codec.Beat b = Codec.entry(Codec.stamped(1_000, beat)).beat();
        assertThat(b).isEqualTo(new Codec.Beat("a", Set.of("192.0.2.50"), 41, 7, 123_456, 800, 250));
        byte[] older = Arrays.copyOf(beat, beat.length - 16);
        Codec.Beat o = Codec.entry(Codec.stamped(1_000, older)).beat();
        assertThat(o.leaseMs()).isEqualTo(1100);
        assertThat(o.marginMs()).isEqualTo(400);
        assertThat(o.sentNanos()).isEqualTo(123_456);
    }

    // A snapshot keeps every heartbeat's timers; one written before them gives the old fixed ones.
    @Test
    void snapshotsKeepTheTimers() throws Exception {
        Map<String, Heartbeat> beats = Map.of("a", new Heartbeat(5, Set.of("192.0.2.50"), 3, 7, 4, true, 800, 250),
                "b", new Heartbeat(6, Set.of(), 3, 8, 5, false, 900, 300));
        byte[] bytes = Codec.vipState(beats, Ownership.EMPTY);
        assertThat(Codec.vipState(bytes).beats()).isEqualTo(beats);
        // Written before the timers: the trailing section is missing.
        int section = 4 + 2 * (2 + 1 + 16);
        byte[] older = Arrays.copyOf(bytes, bytes.length - section);
        assertThat(Codec.vipState(older).beats().get("a").graceMs(0, 0)).isEqualTo(1500);
        assertThat(Codec.vipState(older).beats().get("a").held()).containsExactly("192.0.2.50");
    }
}
