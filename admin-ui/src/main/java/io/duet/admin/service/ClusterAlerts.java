package io.duet.admin.service;

import io.duet.config.DuetConfig;
import io.duet.config.Failover;
import io.duet.config.Vip;

import java.util.List;
import java.util.Map;

/**
 * The alerts of the pair, from this member's view of the cluster ({@link LiveNode#cluster()}): no leader
 * ({@code cluster-no-leader}; heartbeats then say nothing, so no member alerts), a member whose last committed
 * heartbeat is older than the document's lease + margin, or (seen by the leader only: a witness sends no
 * heartbeats) that has not answered the leader for as long ({@code member-missing}), a VIP of
 * the document that no node holds ({@code vip-unheld}). A standalone node has none. Pure.
 */
final class ClusterAlerts {
    private ClusterAlerts() {
    }

    @SuppressWarnings("unchecked")
    static void collect(DuetConfig doc, Map<String, Object> cluster, long now, List<Alert> alerts) {
        if (!"cluster".equals(cluster.get("mode"))) {
            return;
        }
        String self = String.valueOf(cluster.get("node"));
        if (cluster.get("leader") == null) {
            alerts.add(new Alert("cluster-no-leader:" + self, "cluster-no-leader", Alert.CRITICAL, "cluster", null,
                    self, "member '" + self + "' sees no leader: no change can be committed and VIPs do not move",
                    -1));
            return;
        }
        Failover f = doc.failoverTimers();
        long limit = f.leaseMs() + f.marginMs();
        Map<String, Object> beats = (Map<String, Object>) cluster.getOrDefault("heartbeats", Map.of());
        Map<String, Object> silence = (Map<String, Object>) cluster.getOrDefault("followerSilenceMs", Map.of());
        for (Object m : (List<Object>) cluster.getOrDefault("members", List.of())) {
            String member = String.valueOf(m);
            // Proxies commit heartbeats; a witness sends none, so only the leader's view of it can tell.
            Map<String, Object> hb = (Map<String, Object>) beats.get(member);
            long age = hb == null ? -1 : ((Number) hb.getOrDefault("ageMs", 0L)).longValue();
            Object quiet = silence.get(member);
            long silent = quiet instanceof Number n ? n.longValue() : -1;
            if (age > limit) {
                alerts.add(new Alert("member-missing:" + member, "member-missing", Alert.CRITICAL, "member", null,
                        member, "cluster member '" + member + "' missing: last heartbeat " + age + " ms ago (lease + "
                        + "margin " + limit + " ms)", now - age));
            } else if (silent > limit) {
                alerts.add(new Alert("member-missing:" + member, "member-missing", Alert.CRITICAL, "member", null,
                        member, "cluster member '" + member + "' missing: it has not answered the leader ('" + self
                        + "') for " + silent + " ms", now - silent));
            }
        }
        Map<String, Object> owners = (Map<String, Object>) cluster.getOrDefault("vipOwners", Map.of());
        for (Vip v : doc.vips()) {
            if (owners.get(v.address()) == null) {
                alerts.add(new Alert("vip-unheld:" + v.address(), "vip-unheld", Alert.CRITICAL, "vip", null,
                        v.address(), "VIP " + v.address() + " is held by no node: clients of it get no answer", -1));
            }
        }
    }
}
