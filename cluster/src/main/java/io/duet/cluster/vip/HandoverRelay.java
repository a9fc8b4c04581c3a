package io.duet.cluster.vip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static io.duet.cluster.message.ClusterMessage.RELAY_FAILED;

/**
 * The new holder's side of a VIP handed over (see {@link VipAgent}): an nftables table ({@value #TABLE}, family
 * netdev, on the VIP interface's ingress) that sends the packets of every TCP connection to the VIP whose beginning this
 * node did not see to the previous holder's hardware address, on the same link, before this node's IP stack sees them
 * (it would answer them with a reset). A connection begins with a SYN: each one seen here is remembered (address,
 * client address, client port) and stays here; every other TCP packet to a relayed VIP goes to the previous holder,
 * which still has the VIP (quiet) and serves it. The frame leaves with this node's hardware address as its source, so
 * that switches do not learn the client's address on this port.
 *
 * <pre>
 * table netdev duet_relay {
 *   set on4 { type ipv4_addr; }                               # VIPs relayed now
 *   map to4 { type ipv4_addr : ether_addr; }                 # VIP -> previous holder
 *   set seen4 { type ipv4_addr . ipv4_addr . inet_service; flags dynamic, timeout; timeout 2m; size 262144; }
 *   chain in { type filter hook ingress device IFACE priority -500; policy accept;
 *     ip daddr @on4 tcp flags &amp; (syn | ack) == syn update @seen4 { ip daddr . ip saddr . tcp sport }
 *     ip daddr @on4 tcp flags &amp; (syn | ack) == syn accept   # begins here (also when the set is full)
 *     ip daddr . ip saddr . tcp sport @seen4 accept
 *     ip daddr @on4 meta l4proto tcp ether saddr set OWN ether daddr set ip daddr map @to4 fwd to IFACE }
 * }
 * </pre>
 * IPv4 only (an IPv6 VIP drains before a planned move). Thread-safety: called from the VIP agent's thread.
 */
final class HandoverRelay {
    private static final Logger LOG = LoggerFactory.getLogger(HandoverRelay.class);
    static final String TABLE = "duet_relay";
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /** What an {@code nft -f -} run gave: its exit code (-1: it did not run) and output. */
    record Outcome(int exit, String output) {
    }

    private final Function<String, Outcome> nft;
    private final Supplier<String> iface;
    /** The table exists, for this hardware address of ours (null: not made yet). */
    private String madeFor;
    /**
     * The VIPs relayed now. The connections seen beginning here are forgotten when none is left (and when the first
     * one starts): an entry left from an earlier handover would keep here a later connection with the same client
     * port that began on the old holder, and this node would reset it (a CI run: one failed request in an undo).
     */
    private final java.util.Set<String> relaying = new java.util.HashSet<>();

    /**
     * @param nft   runs {@code nft -f -} with a script (where the VIPs live)
     * @param iface the VIP interface
     */
    HandoverRelay(Function<String, Outcome> nft, Supplier<String> iface) {
        this.nft = nft;
        this.iface = iface;
    }

    /** A hardware address a relay can send to or from (lower-case, colon-separated, not all zeros). */
    static boolean usable(String mac) {
        return mac != null && MAC.matcher(mac).matches() && !mac.equals("00:00:00:00:00:00");
    }

    /**
     * Relays the earlier connections of {@code vip} to {@code to}; {@code own} is this node's hardware address.
     *
     * @return false when it could not (logged)
     */
    synchronized boolean relay(String vip, String to, String own) {
        if (!usable(to) || !usable(own)) {
            LOG.warn("{} cannot relay the earlier connections of VIP {}: hardware address {} or {} is "
                    + "not usable; they end at this node", RELAY_FAILED, vip, to, own);
            return false;
        }
        String elements = "add element netdev " + TABLE + " to4 { " + vip + " : " + to + " }\n"
                + "add element netdev " + TABLE + " on4 { " + vip + " }\n";
        if (own.equals(madeFor)) {
            nft.apply("delete element netdev " + TABLE + " to4 { " + vip + " }\n"); // another holder's, if any
            String forget = relaying.isEmpty() ? "flush set netdev " + TABLE + " seen4\n" : "";
            if (nft.apply(forget + elements).exit() == 0) {
                relaying.add(vip);
                return true;
            }
            madeFor = null; // the table was removed meanwhile (by hand): made again below
        }
        Outcome o = nft.apply(table(iface.get(), own) + elements);
        if (o.exit() != 0) {
            LOG.warn("{} cannot relay the earlier connections of VIP {} to {}: nftables refused "
                    + "(netdev family, fwd): {}; they end at this node", RELAY_FAILED, vip, to, o.output());
            return false;
        }
        madeFor = own;
        relaying.add(vip);
        return true;
    }

    /** The table, made afresh (see the class comment). */
    private static String table(String dev, String own) {
        return "add table netdev " + TABLE + "\n"
                + "delete table netdev " + TABLE + "\n"
                + "table netdev " + TABLE + " {\n"
                + "set on4 { type ipv4_addr; }\n"
                + "map to4 { type ipv4_addr : ether_addr; }\n"
                + "set seen4 { type ipv4_addr . ipv4_addr . inet_service; flags dynamic, timeout; timeout 2m; "
                + "size 262144; }\n"
                + "chain in { type filter hook ingress device \"" + dev + "\" priority -500; policy accept;\n"
                + "ip daddr @on4 tcp flags & (syn | ack) == syn update @seen4 { ip daddr . ip saddr . tcp sport }\n"
                + "ip daddr @on4 tcp flags & (syn | ack) == syn accept\n"
                + "ip daddr . ip saddr . tcp sport @seen4 accept\n"
                + "ip daddr @on4 meta l4proto tcp ether saddr set " + own + " ether daddr set ip daddr map @to4 "
                + "fwd to \"" + dev + "\"\n"
                + "}\n}\n";
    }

    /** Stops relaying {@code vip} (its packets go to this node's stack again). */
    synchronized void unrelay(String vip) {
        if (madeFor == null) {
            return;
        }
        Outcome o = nft.apply("delete element netdev " + TABLE + " on4 { " + vip + " }\n");
        nft.apply("delete element netdev " + TABLE + " to4 { " + vip + " }\n");
        relaying.remove(vip);
        if (relaying.isEmpty()) {
            nft.apply("flush set netdev " + TABLE + " seen4\n");
        }
        if (o.exit() != 0) {
            LOG.debug("unrelaying VIP {}: {}", vip, o.output());
        }
    }

    /** Removes the table (leftovers of a previous process, or at stop). */
    synchronized void removeAll() {
        nft.apply("add table netdev " + TABLE + "\ndelete table netdev " + TABLE + "\n");
        madeFor = null;
        relaying.clear();
    }
}
