package io.duet.cluster.vip;

import java.util.Set;

/**
 * A node's last committed heartbeat.
 *
 * @param time         the Raft leader's clock when the leader accepted the heartbeat (never the node's own clock)
 * @param held         the VIPs the node's agent held when it sent it
 * @param appliedIndex the last log index the node had applied when it sent it: a report counts as "let go of a VIP"
 *                     only when it was made after the release was applied there
 */
public record Heartbeat(long time, Set<String> held, long appliedIndex) {
    public Heartbeat {
        held = Set.copyOf(held);
    }

    public Heartbeat(long time, Set<String> held) {
        this(time, held, Long.MAX_VALUE);
    }
}
