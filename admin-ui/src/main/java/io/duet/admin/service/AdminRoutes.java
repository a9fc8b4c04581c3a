package io.duet.admin.service;

import io.duet.admin.api.Http;
import io.duet.admin.api.OpenApi;
import io.duet.admin.api.Route;
import io.duet.admin.api.RouteTable;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.auth.ApiTokens;
import io.duet.admin.auth.LoginThrottle;
import io.duet.admin.auth.Sessions;
import io.duet.config.store.ConfigStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.duet.config.AdminRole.ADMIN;
import static io.duet.config.AdminRole.OPERATOR;
import static io.duet.config.AdminRole.VIEWER;

/**
 * The route table of the admin API, in one place: every method and path under {@code /api/v1}, who may call it, and
 * the service that answers (openapi.json documents exactly these: a test holds the two together). Immutable once
 * built.
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    /** The whole table, its services built over the node's store, sessions, throttle, audit trail and tokens. */
    public static RouteTable table(ConfigStore store, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                                   Clock clock, LiveNode node, ApiTokens tokens) {
        Committer committer = new Committer(store, audit);
        SessionService session = new SessionService(store, sessions, throttle, audit, committer);
        ConfigService config = new ConfigService(store, committer);
        PartsService parts = new PartsService(store, committer);
        ServerService servers = new ServerService(committer, node, audit, clock);
        CertificateService certificates = new CertificateService(store, committer, clock);
        UserService users = new UserService(store, committer);
        TokenService apiTokens = new TokenService(store, tokens, committer);
        StatusService status = new StatusService(node, audit);
        MetricsHistoryService history = new MetricsHistoryService(node, clock);
        AlertService alerts = new AlertService(store, node, clock);
        AccessTailService tail = new AccessTailService(node);
        RateLimitService rateLimits = new RateLimitService(node);

        List<Route> r = new ArrayList<>();
        r.add(Route.open("GET", "/openapi.json", q -> Http.sendRaw(q.exchange(), 200, OpenApi.document())));

        r.add(Route.caller("GET", "/session", session::get));
        r.add(Route.open("POST", "/session", session::login));
        r.add(Route.caller("DELETE", "/session", session::logout));
        r.add(Route.caller("PUT", "/session/password", session::changePassword));

        r.add(Route.of("GET", "/config", VIEWER, "read the configuration", config::get));
        r.add(Route.of("PUT", "/config", ADMIN, "change the configuration", config::put));
        r.add(Route.of("POST", "/config/validate", VIEWER, "validate a document", config::validate));
        r.add(Route.of("GET", "/config/history", VIEWER, "read the history", config::history));
        r.add(Route.of("GET", "/config/history/{revision}", VIEWER, "read the history", config::revision));
        r.add(Route.of("GET", "/config/diff", VIEWER, "read the history", config::diff));
        r.add(Route.of("POST", "/config/rollback", ADMIN, "roll the configuration back", config::rollback));
        r.add(Route.of("GET", "/config/export", ADMIN, "export the configuration", config::export));
        r.add(Route.of("POST", "/config/import", ADMIN, "import a configuration", config::importDocument));

        // The document's parts (PartsService reads the part from the path: see DocumentPath).
        parts(r, parts, "/listeners", "/listeners/{name}");
        parts(r, parts, "/virtualHosts", "/virtualHosts/{name}");
        parts(r, parts, "/virtualHosts/{virtualHost}/routes", "/virtualHosts/{virtualHost}/routes/{name}");
        parts(r, parts, "/pools", "/pools/{name}");
        parts(r, parts, "/pools/{pool}/servers", "/pools/{pool}/servers/{id}");
        parts(r, parts, "/vips", "/vips/{address}");
        for (String singleton : List.of("/limits", "/forwarding", "/accessLog")) {
            r.add(Route.of("GET", singleton, VIEWER, "read the configuration", parts::get));
            r.add(Route.of("PUT", singleton, ADMIN, "change the configuration", parts::put));
        }

        r.add(Route.of("PUT", "/pools/{pool}/servers/{server}/state", OPERATOR, "change server states",
                servers::state));
        r.add(Route.of("POST", "/cluster/handoff", OPERATOR, "hand VIPs off", servers::handoff));

        r.add(Route.of("GET", "/certificates", VIEWER, "read certificates", certificates::list));
        r.add(Route.of("POST", "/certificates", ADMIN, "add certificates", certificates::add));
        r.add(Route.of("PUT", "/certificates/{name}", ADMIN, "change certificates", certificates::replace));
        r.add(Route.of("DELETE", "/certificates/{name}", ADMIN, "change certificates", certificates::delete));

        r.add(Route.of("GET", "/users", ADMIN, "manage users", users::list));
        r.add(Route.of("POST", "/users", ADMIN, "manage users", users::create));
        r.add(Route.of("PUT", "/users/{name}", ADMIN, "manage users", users::update));
        r.add(Route.of("DELETE", "/users/{name}", ADMIN, "manage users", users::delete));

        r.add(Route.of("GET", "/tokens", ADMIN, "manage API tokens", apiTokens::list));
        r.add(Route.of("POST", "/tokens", ADMIN, "manage API tokens", apiTokens::create));
        r.add(Route.of("DELETE", "/tokens/{id}", ADMIN, "manage API tokens", apiTokens::revoke));

        r.add(Route.of("GET", "/status/health", VIEWER, "read the status", status::health));
        r.add(Route.of("GET", "/status/cluster", VIEWER, "read the status", status::cluster));
        r.add(Route.of("GET", "/status/metrics", VIEWER, "read the status", status::metrics));
        r.add(Route.of("GET", "/metrics/history", VIEWER, "read the status", history::history));
        r.add(Route.of("GET", "/alerts", VIEWER, "read the status", alerts::alerts));
        // Operator: the records hold client addresses, paths and queries (personal data, tokens in URLs).
        r.add(Route.of("GET", "/access-log/tail", OPERATOR, "read the access log", tail::tail));
        r.add(Route.of("GET", "/audit", ADMIN, "read the audit log", status::audit));
        r.add(Route.of("GET", "/rate-limits", VIEWER, "read the status", rateLimits::list));
        // Operator: the keys are client addresses (personal data); header, cookie and query values only as a hash.
        r.add(Route.of("GET", "/rate-limits/{name}/top", OPERATOR, "read the rate limits' keys", rateLimits::top));
        return new RouteTable(r);
    }

    /** A list of the document (GET only) and its elements (GET, PUT, DELETE). */
    private static void parts(List<Route> r, PartsService parts, String list, String element) {
        r.add(Route.of("GET", list, VIEWER, "read the configuration", parts::get));
        r.add(Route.of("GET", element, VIEWER, "read the configuration", parts::get));
        r.add(Route.of("PUT", element, ADMIN, "change the configuration", parts::put));
        r.add(Route.of("DELETE", element, ADMIN, "change the configuration", parts::delete));
    }
}
