package io.duet.cluster.vip;

import java.util.Objects;

/**
 * A floating IP address and who should hold it.
 *
 * @param address   an IPv4 or IPv6 literal (the VIP itself, without prefix length)
 * @param preferred the node that holds it while it is alive (null: any node, spread evenly)
 * @param failback  what happens when the preferred node comes back while another node holds the VIP
 */
public record VipSpec(String address, String preferred, Failback failback) {
    public VipSpec {
        Objects.requireNonNull(address, "address");
        failback = failback == null ? Failback.IMMEDIATE : failback;
    }

    /**
     * Failback policy, as keepalived's preempt options: move back at once, after the preferred node has been alive
     * for {@code delayMs} (preempt_delay), or never (nopreempt: the VIP stays where it is until its holder fails).
     */
    public record Failback(Mode mode, long delayMs) {
        public static final Failback IMMEDIATE = new Failback(Mode.IMMEDIATE, 0);
        public static final Failback NEVER = new Failback(Mode.NEVER, 0);

        public enum Mode { IMMEDIATE, DELAYED, NEVER }

        public static Failback after(long delayMs) {
            return new Failback(Mode.DELAYED, delayMs);
        }
    }
}
