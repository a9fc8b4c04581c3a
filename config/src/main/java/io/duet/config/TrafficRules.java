package io.duet.config;

import java.util.List;

/**
 * The traffic-control settings of a document (issue 20), each area to its rule set: address lists and access rules
 * ({@link AccessRules}), rate limits ({@link RateLimitRules}), error and maintenance pages ({@link PageRules}).
 */
final class TrafficRules {
    private TrafficRules() {
    }

    static void document(ValidationRun run, DuetConfig d) {
        AccessRules.document(run, d);
        RateLimitRules.document(run, d);
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
                if (route != null) {
                    PageRules.route(run, at + ".routes[" + r + "]", route);
                }
            }
        }
    }
}
