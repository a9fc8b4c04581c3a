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
        // older: without the timers, and without what came after them (the VIPs handed over, the hardware address)
        byte[] older = Arrays.copyOf(beat, beat.length - 16 - 4 - 2);
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
        // Written before the timers: the trailing sections are missing (the timers; the VIPs handed over with the
        // hardware addresses, and the handovers, which came later still).
        int section = 4 + 2 * (2 + 1 + 16) + 4 + 2 * (2 + 1 + 4 + 2) + 4;
        byte[] older = Arrays.copyOf(bytes, bytes.length - section);
        assertThat(Codec.vipState(older).beats().get("a").graceMs(0, 0)).isEqualTo(1500);
        assertThat(Codec.vipState(older).beats().get("a").held()).containsExactly("192.0.2.50");
    }

    // A heartbeat says which VIPs its sender hands over and its hardware address; one from the release before reads as
    // handing nothing over. Snapshots keep both, and the table's handovers.
    @Test
    void heartbeatsAndSnapshotsCarryTheVipsHandedOver() throws Exception {
        byte[] beat = Codec.heartbeat("a", Set.of("192.0.2.50", "192.0.2.51"), 41, 7, 123_456, 800, 250,
                Set.of("192.0.2.51"), "0a:00:00:00:00:0a");
        Codec.Beat b = Codec.entry(Codec.stamped(1_000, beat)).beat();
        assertThat(b.leaving()).containsExactly("192.0.2.51");
        assertThat(b.mac()).isEqualTo("0a:00:00:00:00:0a");
        byte[] before = Codec.heartbeat("a", Set.of("192.0.2.50"), 41, 7, 123_456, 800, 250);
        byte[] previousRelease = Arrays.copyOf(before, before.length - 4 - 2);
        Codec.Beat p = Codec.entry(Codec.stamped(1_000, previousRelease)).beat();
        assertThat(p.leaseMs()).isEqualTo(800);
        assertThat(p.leaving()).isEmpty();
        assertThat(p.mac()).isEmpty();

        Map<String, Heartbeat> beats = Map.of("a", new Heartbeat(5, Set.of("192.0.2.50"), 3, 7, 4, true, 800, 250,
                Set.of("192.0.2.50"), "0a:00:00:00:00:0a"));
        Ownership table = new Ownership(Map.of("192.0.2.50", "b"), Map.of(), Set.of(), Map.of(), Map.of(), Map.of(),
                Map.of("192.0.2.50", "0a:00:00:00:00:0a"));
        Codec.VipState state = Codec.vipState(Codec.vipState(beats, table));
        assertThat(state.beats()).isEqualTo(beats);
        assertThat(state.table()).isEqualTo(table);
    }
}
