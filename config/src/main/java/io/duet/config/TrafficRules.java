package io.duet.config;

import java.util.List;

/**
 * The traffic-control settings of a document (issue 20: address lists, access rules, rate limits, error and
 * maintenance pages). A setting the proxy does not enforce yet is refused ({@link ConfigMessage#TRAFFIC_CONTROL_NOT_YET}):
 * a document that asks for a limit must never be committed to run without it.
 */
final class TrafficRules {
    private TrafficRules() {
    }

    static void document(ValidationRun run, DuetConfig d) {
        notYet(run, "$.addressLists", "addressLists", !d.addressLists().isEmpty());
        notYet(run, "$.rateLimits", "rateLimits", !d.rateLimits().isEmpty());
        List<Listener> listeners = d.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            if (l == null) {
                continue;
            }
            String at = "$.listeners[" + i + "]";
            notYet(run, at + ".access", "access", l.access() != null);
            notYet(run, at + ".rateLimits", "rateLimits", !l.rateLimits().isEmpty());
        }
        List<VirtualHost> hosts = d.virtualHosts();
        for (int h = 0; h < hosts.size(); h++) {
            VirtualHost v = hosts.get(h);
            if (v == null) {
                continue;
            }
            String at = "$.virtualHosts[" + h + "]";
            PageRules.virtualHost(run, at, v);
            for (int r = 0; r < v.routes().size(); r++) {
                Route route = v.routes().get(r);
                if (route == null) {
                    continue;
                }
                String rat = at + ".routes[" + r + "]";
                notYet(run, rat + ".access", "access", route.access() != null);
                notYet(run, rat + ".rateLimits", "rateLimits", !route.rateLimits().isEmpty());
                PageRules.route(run, rat, route);
                notYet(run, rat + ".match.sources", "sources", !route.match().sources().isEmpty());
            }
        }
    }

    private static void notYet(ValidationRun run, String path, String field, boolean present) {
        if (present) {
            run.add(ConfigMessage.TRAFFIC_CONTROL_NOT_YET.at(path, field));
        }
    }
}
