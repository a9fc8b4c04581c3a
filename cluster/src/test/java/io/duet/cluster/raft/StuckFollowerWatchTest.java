package io.duet.cluster.raft;

import io.duet.cluster.vip.Heartbeat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** When a leader hands leadership over because a live follower's log repair is stuck, and to whom. */
class StuckFollowerWatchTest {
    static final long S = 1_000_000_000L;
    static final long WALL = 1_800_000_000_000L;

    static Heartbeat hb(long stampMs, long applied) {
        return new Heartbeat(stampMs, Set.of(), applied, 7, applied + 1, true);
    }

    // b (alive: its heartbeats keep arriving) reports the same applied index for 5 s while the leader commits ahead:
    // leadership goes to a, which is caught up. Not before 5 s; not again within 30 s.
    @Test
    void aLiveFollowerStuckBehindMakesTheLeaderHandOver() {
        StuckFollowerWatch w = StuckFollowerWatch.forTest("w");
        List<String> members = List.of("a", "b", "w");
        for (int s = 0; s < 5; s++) {
            assertThat(w.observe(Map.of("a", hb(WALL + s * 1000, 100 + 10 * s), "b", hb(WALL + s * 1000, 130)),
                    members, 100 + 10 * s + 2, s * S, WALL + s * 1000)).as("second %d", s).isNull();
        }
        StuckFollowerWatch.Verdict v = w.observe(Map.of("a", hb(WALL + 5000, 150), "b", hb(WALL + 5000, 130)),
                members, 152, 5 * S, WALL + 5000);
        assertThat(v).isEqualTo(new StuckFollowerWatch.Verdict("b", "a", 5000, 130));
        assertThat(w.observe(Map.of("a", hb(WALL + 6000, 160), "b", hb(WALL + 6000, 130)), members, 162, 6 * S,
                WALL + 6000)).as("at most one transfer every 30 s").isNull();
    }

    // A follower that is behind but applying (catching up), or whose heartbeats stopped (down, partitioned: nothing to
    // repair until it is back), or only a few entries behind: nothing to do.
    @Test
    void followersThatCatchUpOrAreGoneAreLeftAlone() {
        StuckFollowerWatch w = StuckFollowerWatch.forTest("w");
        List<String> members = List.of("a", "b", "w");
        for (int s = 0; s <= 8; s++) {
            Map<String, Heartbeat> beats = Map.of("a", hb(WALL + s * 1000, 1000 + s), // a few behind, standing
                    "b", hb(WALL + s * 1000, 100 + 50 * s), // far behind, moving
                    "c", hb(WALL, 10)); // far behind, standing, but its last heartbeat is old
            assertThat(w.observe(beats, members, 1010 + s, s * S, WALL + s * 1000)).as("second %d", s).isNull();
        }
    }

    // The other proxy is the stuck one and only the witness (no heartbeats of its own) is left: leadership goes to it.
    @Test
    void theWitnessTakesOverWhenNoProxyIsCaughtUp() {
        StuckFollowerWatch w = StuckFollowerWatch.forTest("a");
        List<String> members = List.of("a", "b", "w");
        StuckFollowerWatch.Verdict v = null;
        for (int s = 0; s <= 5; s++) {
            v = w.observe(Map.of("a", hb(WALL + s * 1000, 200), "b", hb(WALL + s * 1000, 130)), members, 200, s * S,
                    WALL + s * 1000);
        }
        assertThat(v).isEqualTo(new StuckFollowerWatch.Verdict("b", "w", 5000, 130));
    }
}
