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
        /** The VIPs are on the interface and answer until the deadline. */
        HELD,
        /** Too late to start: nothing was changed. */
        TOO_LATE,
        /** The change was held up (this node stalled or froze meanwhile): the VIPs were removed again. */
        UNDONE
    }

    /**
     * Adds the VIPs or renews them; {@code addresses} are all the VIPs this node holds from now on. Each answers until
     * {@code answerUntilNanos} ({@link System#nanoTime}) at the latest, whatever happens to this node's processes
     * afterwards (a freeze of the whole service included): the kernel itself stops it then, unless another hold came
     * first. Not started after {@code notAfterNanos}; removed again when the change itself was held up, as a command
     * delayed by a freeze would be. Default: {@link #claim} each, without a deadline.
     */
    default Hold hold(Set<String> addresses, long notAfterNanos, long answerUntilNanos) throws VipException {
        for (String a : addresses) {
            claim(a);
        }
        return Hold.HELD;
    }

    /**
     * As {@link #hold(Set, long, long)}, with the VIPs in {@code quiet} (a subset) answering no ARP (or neighbour
     * solicitation): they serve only what still reaches this node while it hands them over. Only called when
     * {@link #handoverAddress} is not null; the default ignores {@code quiet}.
     */
    default Hold hold(Set<String> addresses, Set<String> quiet, long notAfterNanos, long answerUntilNanos)
            throws VipException {
        return hold(addresses, notAfterNanos, answerUntilNanos);
    }

    /**
     * This node's hardware address on the VIP interface, to which the next holder of a VIP it hands over relays
     * connections; null when this node cannot hand VIPs over (quiet holds and relays need nftables).
     */
    default String handoverAddress() {
        return null;
    }

    /**
     * From now on, relays to hardware address {@code mac} the packets of every TCP connection to the IPv4 VIP that
     * this node did not see begin (their SYN came before): the node that handed the VIP over still serves them.
     *
     * @return false when it could not (logged)
     */
    default boolean relay(String address, String mac) {
        return false;
    }

    /** Stops relaying for this VIP (the node that handed it over has released it). */
    default void unrelay(String address) {
    }

    /** Stops every relay (at start: leftovers of a previous process). */
    default void unrelayAll() {
    }

    /** Why this node cannot hold VIPs at all (a missing tool), for the log; null when it can. */
    default String cannotHold() {
        return null;
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

    /**
     * Removes the gates of VIPs this node no longer holds (at start, before any claim, and after the process ended):
     * left behind, they would keep blocking an address added by other means. Default: nothing.
     */
    default void removeGates() {
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
