package io.duet.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.duet.config.ValidationRun.ONE_DAY_MS;

/**
 * The rules of the pair: its VIPs and its failover timers (docs/pair-safety.md).
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class ClusterRules {
    private ClusterRules() {
    }

    static void failover(ValidationRun run, Failover f) {
        if (f == null) {
            return; // the defaults
        }
        String p = "$.failover";
        run.range(p + ".heartbeatMs", "heartbeatMs", f.heartbeatMs(), 50, 1_000, "50-1000 ms");
        run.range(p + ".leaseMs", "leaseMs", f.leaseMs(), 300, 30_000, "300-30000 ms");
        // The margin holds a hold's own run (100 ms slack, 20 ms guard) and at least 50 ms of gate.
        run.range(p + ".marginMs", "marginMs", f.marginMs(), 200, 10_000, "200-10000 ms");
        if (f.leaseMs() < 3 * f.heartbeatMs()) {
            run.add(ConfigMessage.FAILOVER_FEW_HEARTBEATS.at(p + ".leaseMs", f.leaseMs(), f.heartbeatMs()));
        } else if (f.leaseMs() >= 300 && f.leaseMs() < 700) {
            run.add(ConfigMessage.FAILOVER_SHORT_LEASE.at(p + ".leaseMs", f.leaseMs()));
        }
    }

    static void vips(ValidationRun run, List<Vip> vips) {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < vips.size(); i++) {
            String p = "$.vips[" + i + "]";
            Vip v = vips.get(i);
            if (v == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "vips[" + i + "]", "a VIP"));
                continue;
            }
            Optional<InetAddress> ip = v.address() == null ? Optional.empty()
                    : CidrBlock.parseIpLiteral(v.address());
            if (ip.isEmpty()) {
                run.add(ConfigMessage.INVALID_TOKEN.at(p + ".address", "address", String.valueOf(v.address()),
                        "an IPv4 or IPv6 address such as 192.0.2.50"));
            } else {
                String other = seen.putIfAbsent(ip.get().getHostAddress(), p);
                if (other != null) {
                    run.add(ConfigMessage.DUPLICATE_NAME.at(p + ".address", "address", v.address(), other, "VIPs"));
                }
            }
            if (!Vip.FAILBACKS.contains(v.failback())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".failback", "failback", v.failback(),
                        String.join(", ", Vip.FAILBACKS)));
            }
            run.range(p + ".failbackDelayMs", "failbackDelayMs", v.failbackDelayMs(), 0, ONE_DAY_MS,
                    "0-86400000 ms (1 day)");
        }
    }
}
