package io.duet.config;

import java.util.List;

/**
 * A floating IP address the pair serves (cluster mode): it lives on the interface named by the node bootstrap
 * ({@code cluster.interface}) of whichever node holds it.
 *
 * @param address        an IPv4 or IPv6 literal
 * @param preferredNode  the node id that holds it while alive (absent: spread evenly)
 * @param failback       {@code immediate} (default), {@code delayed} (after {@code failbackDelayMs}) or {@code never}
 * @param failbackDelayMs for {@code delayed} (default 30000)
 */
public record Vip(String address, String preferredNode, String failback, Long failbackDelayMs) {
    public static final List<String> FAILBACKS = List.of("immediate", "delayed", "never");

    public Vip {
        failback = failback == null ? "immediate" : failback;
        failbackDelayMs = failbackDelayMs == null ? 30_000L : failbackDelayMs;
    }
}
