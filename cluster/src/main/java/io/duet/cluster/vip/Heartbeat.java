package io.duet.cluster.vip;

import java.util.Set;

/**
 * A node's last committed heartbeat.
 *
 * @param time the Raft leader's clock when the leader accepted the heartbeat (never the node's own clock)
 * @param held the VIPs the node reported holding when it sent it
 */
public record Heartbeat(long time, Set<String> held) {
    public Heartbeat {
        held = Set.copyOf(held);
    }
}
