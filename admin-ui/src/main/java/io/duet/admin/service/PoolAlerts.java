package io.duet.admin.service;

import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alerts and operator states of the pools, from the live health ({@link LiveNode#health()}) read against the
 * document: a server the document puts in drain or maintenance is an operator's state, never a failure; a server
 * that is down, ejected, or out because its name does not resolve is a failure. A pool with no server up is
 * {@code pool-down} when a failure is among the reasons, an {@code out-of-service} state when operators alone took
 * its servers out. Pure.
 */
final class PoolAlerts {
    private PoolAlerts() {
    }

    static void collect(DuetConfig doc, List<Map<String, Object>> health, List<Alert> alerts,
                        List<OperatorState> states) {
        for (Map<String, Object> p : health) {
            String pool = String.valueOf(p.get("pool"));
            Pool spec = doc.pool(pool);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> servers = (List<Map<String, Object>>) p.getOrDefault("servers", List.of());
            List<Alert> failing = new ArrayList<>();
            int byOperator = 0;
            long lastChange = -1;
            for (Map<String, Object> s : servers) {
                String id = String.valueOf(s.get("server"));
                String live = String.valueOf(s.get("state"));
                long since = millis(s.get("since"));
                lastChange = Math.max(lastChange, since);
                String admin = adminState(spec, id);
                if (!admin.equals(Server.ENABLED)) {
                    byOperator++;
                    states.add(new OperatorState("server", pool, id, admin, detail(live, s.get("reason")), since));
                } else if (!Boolean.TRUE.equals(s.get("available"))) {
                    failing.add(new Alert("server-down:" + pool + "/" + id, "server-down", Alert.WARNING, "server",
                            pool, id, "server '" + id + "' of pool '" + pool + "' is " + live
                            + (s.get("reason") == null ? "" : ": " + s.get("reason")), since));
                }
            }
            boolean noneUp = !servers.isEmpty() && ((Number) p.getOrDefault("available", 0)).intValue() == 0;
            if (noneUp && !failing.isEmpty()) {
                alerts.add(new Alert("pool-down:" + pool, "pool-down", Alert.CRITICAL, "pool", null, pool,
                        "pool '" + pool + "': no server is up (" + failing.size() + " failing"
                                + (byOperator > 0 ? ", " + byOperator + " out by an operator" : "") + ")",
                        lastChange));
            } else if (noneUp) {
                states.add(new OperatorState("pool", null, pool, "out-of-service",
                        "every server is in drain or maintenance", lastChange));
            }
            alerts.addAll(failing);
        }
    }

    private static String adminState(Pool spec, String id) {
        if (spec != null) {
            for (Server s : spec.servers()) {
                if (id.equals(s.id())) {
                    return s.state();
                }
            }
        }
        return Server.ENABLED;
    }

    private static String detail(String live, Object reason) {
        return reason == null ? live : live + ": " + reason;
    }

    /** An ISO instant as epoch milliseconds; -1 when absent or unreadable. */
    static long millis(Object iso) {
        if (iso == null) {
            return -1;
        }
        try {
            return Instant.parse(iso.toString()).toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
