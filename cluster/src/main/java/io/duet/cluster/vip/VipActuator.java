package io.duet.cluster.vip;

import java.util.Set;

/**
 * What a node does to hold or drop a floating IP on its interface. The real one runs {@code ip} and {@code arping}
 * ({@link IpCommandActuator}). Every method blocks (it runs commands): call from the VIP agent's own thread, never
 * an I/O thread. Each is idempotent.
 */
public interface VipActuator {
    /** Adds the VIP to the interface (no error when it is there already). */
    void claim(String address) throws VipException;

    /** What {@link #hold} did. */
    enum Hold {
        /** The VIPs are on the interface with a fresh kernel lifetime. */
        HELD,
        /** Too late to start: nothing was changed. */
        TOO_LATE,
        /** Applied after the undo time (this node stalled or froze meanwhile): the VIPs were removed again. */
        UNDONE
    }

    /**
     * Adds the VIPs or renews them, with a kernel lifetime of {@link #lifetimeWorstMs} at most: the kernel removes a
     * VIP by itself once that time passed without another hold, whatever happens to this node's processes (a freeze
     * of the whole service included). Not started after {@code notAfterNanos} ({@link System#nanoTime}); removed
     * again when it was applied after {@code undoAfterNanos}, as a command delayed by a freeze would be.
     * Default: {@link #claim} each, without a lifetime.
     */
    default Hold hold(Set<String> addresses, long notAfterNanos, long undoAfterNanos) throws VipException {
        for (String a : addresses) {
            claim(a);
        }
        return Hold.HELD;
    }

    /** The longest a held VIP stays after its last {@link #hold} (ms); 0: VIPs have no lifetime. */
    default long lifetimeWorstMs() {
        return 0;
    }

    /** Tells the network the VIP moved here: gratuitous ARP (IPv4) or an unsolicited neighbour advertisement (IPv6). */
    void announce(String address) throws VipException;

    /** Removes the VIP from the interface (no error when it is not there). */
    void release(String address) throws VipException;

    /**
     * Makes sure these VIPs leave the interface when this process ends in any way, kill -9 included (the kernel would
     * otherwise keep answering ARP for them after the peer took them over). Called with every change of the
     * configured set. Default: nothing.
     */
    default void guard(Set<String> addresses) {
    }

    /** The agent's lease runs (called every tick while it does); see {@link IpCommandActuator#guard}. */
    default void alive() {
    }

    /**
     * Holds back new TCP connections to the VIP (their SYNs are dropped, so clients retransmit them a second later,
     * by when the VIP has moved), while established connections go on: the VIP drains before a planned move.
     *
     * @return false when this node cannot (no nftables): the move then does not wait for a drain
     */
    default boolean holdBackNew(String address) {
        return false;
    }

    /** Lets new connections to the VIP in again (after its release, or when it stays after all). */
    default void admitNew(String address) {
    }

    /** Removes every hold-back (at start: leftovers of a previous process). */
    default void admitAll() {
    }

    /** The VIPs among {@code candidates} that are on the interface now. */
    Set<String> present(Set<String> candidates) throws VipException;

    /** A command failed; the message says which and what it printed. */
    final class VipException extends Exception {
        private static final long serialVersionUID = 1L;

        public VipException(String message) {
            super(message);
        }
    }
}
