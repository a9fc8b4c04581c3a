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
 * @param leaseMs      the lease its sender obeys from this heartbeat on, and
 * @param marginMs     the margin its VIPs' gates were set for: the sender's VIPs answer until lease + margin after its
 *                     send time at the latest, so nobody claims them earlier whatever the document says meanwhile
 *                     (0 and 0: the deciding member's own)
 * @param leaving      the VIPs among {@code held} it hands over in a planned move: it keeps each on its interface, quiet
 *                     (answering no ARP), only for the connections it still serves, and counts as having let it go
 *                     (see {@link VipAgent})
 * @param mac          its hardware address on the VIP interface ("" when unknown): the next holder relays to it the
 *                     packets of connections that began here
 *
 * <p>A heartbeat whose {@code time} is {@link #ENDED} (0, never a leader's clock) stands for a process that has ended:
 * its VIP guardian removed its VIPs and proved it with the process's end secret (see {@link #lifetimeOf}). It holds
 * nothing, is neither alive nor live, and later heartbeats of the same lifetime (in flight at the end) are ignored.
 */
public record Heartbeat(long time, Set<String> held, long appliedIndex, long lifetime, long index, boolean ready,
                        long leaseMs, long marginMs, Set<String> leaving, String mac) {
    public Heartbeat {
        held = Set.copyOf(held);
        leaving = leaving == null ? Set.of() : Set.copyOf(leaving);
        mac = mac == null ? "" : mac;
    }

    public Heartbeat(long time, Set<String> held, long appliedIndex, long lifetime, long index, boolean ready,
                     long leaseMs, long marginMs) {
        this(time, held, appliedIndex, lifetime, index, ready, leaseMs, marginMs, Set.of(), "");
    }

    /** Holds {@code address} and does not hand it over (it answers for it). */
    public boolean answersFor(String address) {
        return held.contains(address) && !leaving.contains(address);
    }

    public Heartbeat(long time, Set<String> held, long appliedIndex, long lifetime, long index, boolean ready) {
        this(time, held, appliedIndex, lifetime, index, ready, 0, 0);
    }

    /**
     * How long after this heartbeat its sender's VIPs may still answer, and the others must wait before claiming
     * them: the longer of the deciding member's lease + margin and the one this heartbeat was sent under (a document
     * that shortened the timers meanwhile never shortens a wait its sender's gates were set for).
     */
    public long graceMs(long lease, long margin) {
        return Math.max(lease + margin, leaseMs + marginMs);
    }

    /** The time of an ended process's heartbeat: long before any lease. */
    public static final long ENDED = 0;

    /** This heartbeat's process has ended (see the class comment). */
    public boolean ended() {
        return time == ENDED;
    }

    /** {@code secret} proves that this heartbeat's process has ended, and that is news (it is not marked ended yet). */
    public boolean provenEndedBy(byte[] secret) {
        return !ended() && lifetime == lifetimeOf(secret);
    }

    /** The heartbeat that stands for this one's process having ended, as decided at log index {@code at}. */
    public Heartbeat end(long at) {
        return new Heartbeat(ENDED, Set.of(), appliedIndex, lifetime, at, false, leaseMs, marginMs, Set.of(), "");
    }

    /**
     * The lifetime number of the process whose end secret is {@code secret}: the first 8 bytes of its SHA-256. A
     * process draws a random secret at start and sends this number in every heartbeat; only its guardian learns the
     * secret, and shows it once the process has ended. Finding a secret for a given number is a 2^64 search.
     */
    public static long lifetimeOf(byte[] secret) {
        try {
            return java.nio.ByteBuffer.wrap(java.security.MessageDigest.getInstance("SHA-256").digest(secret))
                    .getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public Heartbeat(long time, Set<String> held, long appliedIndex) {
        this(time, held, appliedIndex, 0, 0, true);
    }

    public Heartbeat(long time, Set<String> held) {
        this(time, held, Long.MAX_VALUE);
    }
}
