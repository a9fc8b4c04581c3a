package io.duet.cluster.vip;

import java.util.Set;

/**
 * A node's last committed heartbeat.
 *
 * @param time         the Raft leader's clock when the leader accepted the heartbeat (never the node's own clock)
 * @param held         the VIPs the node's agent held when it sent it
 * @param appliedIndex the last log index the node had applied when it sent it: a report counts as "let go of a VIP"
 *                     only when it was made after the release was applied there
 * @param lifetime     the sender's process-lifetime number (a restart draws a new one)
 * @param index        the log index at which this heartbeat was committed
 * @param ready        the node is caught up: it sent this heartbeat after applying its previous one of the same
 *                     lifetime, so its lease is running and it applies tables promptly. Only ready nodes are given
 *                     VIPs (a node that just restarted and still replays the log would otherwise be handed a VIP it
 *                     cannot claim yet, and the VIP would have no holder meanwhile)
 */
public record Heartbeat(long time, Set<String> held, long appliedIndex, long lifetime, long index, boolean ready) {
    public Heartbeat {
        held = Set.copyOf(held);
    }

    public Heartbeat(long time, Set<String> held, long appliedIndex) {
        this(time, held, appliedIndex, 0, 0, true);
    }

    public Heartbeat(long time, Set<String> held) {
        this(time, held, Long.MAX_VALUE);
    }
}
