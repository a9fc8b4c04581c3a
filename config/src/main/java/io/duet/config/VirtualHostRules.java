package io.duet.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.duet.config.ValidationRun.ONE_TIB;

/**
 * The rules of virtual hosts and of the routes in them, and the warning for a route an earlier one hides;
 * a route's match and action are checked by {@link MatchRules} and {@link ActionRules}.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class VirtualHostRules {
    private VirtualHostRules() {
    }

    static void virtualHosts(ValidationRun run, DuetConfig d, Set<String> usedPools) {
        List<VirtualHost> hosts = d.virtualHosts();
        if (hosts.isEmpty()) {
            run.add(ConfigMessage.NO_VIRTUAL_HOST.at("$.virtualHosts"));
        }
        Map<String, String> names = new HashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        String defaultHost = null;
        for (int i = 0; i < hosts.size(); i++) {
            String p = "$.virtualHosts[" + i + "]";
            VirtualHost h = hosts.get(i);
            if (h == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "virtualHosts[" + i + "]", "a virtual host"));
                continue;
            }
            run.uniqueName(p, h.name(), names, "virtual host names");
            String hostName = String.valueOf(h.name());
            Map<String, String> local = new HashMap<>();
            for (int j = 0; j < h.hostnames().size(); j++) {
                String hp = p + ".hostnames[" + j + "]";
                String n = h.hostnames().get(j);
                if (n == null) {
                    run.add(ConfigMessage.NULL_ELEMENT.at(hp, "hostnames[" + j + "]", "a host name"));
                    continue;
                }
                String problem = HostName.virtualHostProblem(n);
                if (problem != null) {
                    run.add(ConfigMessage.INVALID_HOSTNAME.at(hp, "hostnames[" + j + "]", n, problem));
                    continue;
                }
                String key = HostName.canonical(n);
                String sameHost = local.putIfAbsent(key, hp);
                if (sameHost != null) {
                    run.add(ConfigMessage.DUPLICATE_NAME.at(hp, "hostnames[" + j + "]", n, sameHost, "host names"));
                    continue;
                }
                String other = claimedBy.putIfAbsent(key, hostName);
                if (other != null) {
                    run.add(ConfigMessage.HOSTNAME_CLAIMED_TWICE.at(hp, n, other, hostName));
                }
            }
            if (h.defaultHost()) {
                if (defaultHost != null) {
                    run.add(ConfigMessage.TWO_DEFAULT_HOSTS.at(p + ".defaultHost", defaultHost));
                } else {
                    defaultHost = hostName;
                }
            }
            if (h.hostnames().isEmpty() && !h.defaultHost()) {
                run.add(ConfigMessage.HOST_UNREACHABLE.at(p + ".hostnames", hostName));
            }
            if (h.routes().isEmpty()) {
                run.add(ConfigMessage.NO_ROUTE.at(p + ".routes", hostName));
            }
            HttpsRedirect hr = h.httpsRedirect();
            run.range(p + ".httpsRedirect.port", "port", hr.port(), 1, 65535, "1-65535");
            if (!HttpsRedirect.STATUSES.contains(hr.status())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".httpsRedirect.status", "status", hr.status(),
                        "301, 302, 303, 307, 308"));
            }
            if (hr.enabled() && d.listeners().stream().noneMatch(l -> l != null && l.https())) {
                run.add(ConfigMessage.REDIRECT_WITHOUT_HTTPS.at(p + ".httpsRedirect"));
            }
            routes(run, d, p, h.routes(), usedPools);
        }
    }

    private static void routes(ValidationRun run, DuetConfig d, String hp, List<Route> routes, Set<String> usedPools) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            String p = hp + ".routes[" + i + "]";
            Route r = routes.get(i);
            if (r == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "routes[" + i + "]", "a route"));
                continue;
            }
            run.uniqueName(p, r.name(), names, "route names within a virtual host");
            MatchRules.match(run, p + ".match", r.match());
            ActionRules.action(run, d, p, r, usedPools);
            ActionRules.headerRules(run, p + ".requestHeaders", "requestHeaders", r.requestHeaders());
            ActionRules.headerRules(run, p + ".responseHeaders", "responseHeaders", r.responseHeaders());
            ActionRules.rewrite(run, p, r.rewrite());
            if (r.compression() != null) {
                ActionRules.compression(run, p + ".compression", r.compression());
            }
            if (r.maxBodyBytes() != null) {
                run.range(p + ".maxBodyBytes", "maxBodyBytes", r.maxBodyBytes(), 0, ONE_TIB, "0-1099511627776 (1 TiB)");
            }
            if (r.responseTimeoutMs() != null) {
                run.timeout(p + ".responseTimeoutMs", "responseTimeoutMs", r.responseTimeoutMs());
            }
            run.range(p + ".retries", "retries", r.retries(), 0, 5, "0-5");
            AffinityRules.stickyServerDown(run, d, p, r);
        }
        unreachable(run, hp, routes);
    }

    /**
     * Warns about each route an earlier path-only route of the same host always wins over, and about each one a
     * path-only {@code /} prefix route above leaves only {@code OPTIONS *} to.
     */
    private static void unreachable(ValidationRun run, String hp, List<Route> routes) {
        for (int j = 1; j < routes.size(); j++) {
            Route later = routes.get(j);
            if (later == null) {
                continue;
            }
            for (int i = 0; i < j; i++) {
                Route earlier = routes.get(i);
                if (earlier == null) {
                    continue;
                }
                boolean everyPath = MatchRules.matchesEveryPath(earlier.match());
                if (MatchRules.covers(earlier.match(), later.match())
                        || (everyPath && !MatchRules.mayMatchAsterisk(later.match()))) {
                    run.add(ConfigMessage.UNREACHABLE_ROUTE.at(hp + ".routes[" + j + "]",
                            String.valueOf(later.name()), String.valueOf(earlier.name())));
                    break;
                }
                if (everyPath) {
                    run.add(ConfigMessage.ONLY_OPTIONS_ASTERISK.at(hp + ".routes[" + j + "]",
                            String.valueOf(later.name()), String.valueOf(earlier.name())));
                    break;
                }
            }
        }
    }
}
