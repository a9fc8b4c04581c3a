package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.ApiToken;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.RevisionConflictException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST API under {@code /api/v1} (documented by {@code /api/v1/openapi.json}). JSON in and out; every error has
 * the shape {@code {"id", "message", "violations"?}}. Authentication by the session cookie (plus the
 * {@code X-CSRF-Token} header on every state change) or an API token ({@code Authorization: Bearer}); roles
 * checked on every call; audit records for logins, failures, denials and commits.
 *
 * <p>Runs on Undertow worker threads (requests are dispatched off the I/O threads: Argon2id and commits block).
 */
public final class AdminApi implements HttpHandler {
    static final String PREFIX = "/api/v1";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The roles, weakest first. */
    enum Role {
        VIEWER, OPERATOR, ADMIN;

        static Role of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Who is calling, and from where: a user with a session, or an API token; {@code address} for the audit. */
    record Caller(String name, Role role, Sessions.Session session, boolean token, boolean mustChangePassword,
                  String address) {
    }

    /** An error answer. */
    static final class ApiError extends Exception {
        final int status;
        final String id;
        final List<Violation> violations;
        /** Seconds for a Retry-After header; 0: none. */
        final long retryAfterSeconds;

        ApiError(int status, String id, String message) {
            this(status, id, message, List.of());
        }

        ApiError(int status, String id, String message, List<Violation> violations) {
            this(status, id, message, violations, 0);
        }

        ApiError(int status, String id, String message, List<Violation> violations, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.id = id;
            this.violations = violations;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private final ConfigStore store;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;
    private final NodeView node;
    private final ApiTokens tokens;

    AdminApi(ConfigStore store, Sessions sessions, LoginThrottle throttle, AuditLog audit, Clock clock,
             NodeView node, ApiTokens tokens) {
        this.node = node;
        this.tokens = tokens;
        this.store = store;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        ex.startBlocking();
        SecurityHeaders.apply(ex);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            RequestBody.open(ex);
            route(ex);
        } catch (RequestBody.TooLargeException e) {
            error(ex, tooLarge());
        } catch (ApiError e) {
            error(ex, e);
        } catch (Passwords.BusyException e) {
            error(ex, new ApiError(503, "DUET-ADMIN-0152", e.getMessage(), List.of(), 1));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(AdminApi.class).error("DUET-ADMIN-0199 {} {} failed: {}",
                    ex.getRequestMethod(), ex.getRequestPath(), e.toString(), e);
            error(ex, new ApiError(500, "DUET-ADMIN-0199", "internal error (a bug): the node's log has the details"));
        } finally {
            RequestBody.finish(ex);
        }
    }

    private void route(HttpServerExchange ex) throws Exception {
        String path = ex.getRequestPath().substring(PREFIX.length());
        HttpString m = ex.getRequestMethod();
        if (path.equals("/openapi.json") && m.equals(Methods.GET)) {
            sendRaw(ex, 200, OpenApi.document());
            return;
        }
        if (path.equals("/session")) {
            if (m.equals(Methods.POST)) {
                login(ex);
                return;
            }
            Caller c = authenticate(ex, true);
            if (m.equals(Methods.GET)) {
                send(ex, 200, whoami(c));
            } else if (m.equals(Methods.DELETE)) {
                csrf(ex, c);
                if (c.session() != null) {
                    sessions.remove(c.session().id);
                }
                expireCookie(ex);
                audit.record(c.name(), address(ex), "logout", "ok", null, null);
                ex.setStatusCode(204);
            } else {
                throw methodNotAllowed("GET, POST, DELETE");
            }
            return;
        }
        if (path.equals("/session/password")) {
            Caller c = authenticate(ex, true);
            if (!m.equals(Methods.PUT)) {
                throw methodNotAllowed("PUT");
            }
            csrf(ex, c);
            changePassword(ex, c);
            return;
        }
        Caller c = authenticate(ex, false);
        switch (path) {
            case "/config" -> {
                if (m.equals(Methods.GET)) {
                    require(ex, c, Role.VIEWER, "read the configuration");
                    DuetConfig cur = store.current();
                    ex.getResponseHeaders().put(Headers.ETAG, etag(cur.revision()));
                    send(ex, 200, redacted(cur));
                } else if (m.equals(Methods.PUT)) {
                    require(ex, c, Role.ADMIN, "change the configuration");
                    csrf(ex, c);
                    apply(ex, c);
                } else {
                    throw methodNotAllowed("GET, PUT");
                }
            }
            case "/config/validate" -> {
                if (!m.equals(Methods.POST)) {
                    throw methodNotAllowed("POST");
                }
                require(ex, c, Role.VIEWER, "validate a document");
                csrf(ex, c);
                validate(ex);
            }
            case "/config/history" -> {
                require(ex, c, Role.VIEWER, "read the history");
                if (!m.equals(Methods.GET)) {
                    throw methodNotAllowed("GET");
                }
                ArrayNode out = JSON.createArrayNode();
                for (ConfigStore.Commit k : store.commits()) {
                    ObjectNode o = out.addObject();
                    o.put("revision", k.config().revision());
                    o.put("author", k.author());
                    o.put("timeMs", k.timeMs());
                    o.put("summary", k.summary());
                }
                send(ex, 200, out);
            }
            case "/config/diff" -> {
                require(ex, c, Role.VIEWER, "read the history");
                long from = longParam(ex, "from");
                long to = longParam(ex, "to");
                send(ex, 200, JSON.valueToTree(JsonDiff.diff(redacted(revision(from)), redacted(revision(to)))));
            }
            case "/config/rollback" -> {
                if (!m.equals(Methods.POST)) {
                    throw methodNotAllowed("POST");
                }
                require(ex, c, Role.ADMIN, "roll the configuration back");
                csrf(ex, c);
                rollback(ex, c);
            }
            case "/users" -> {
                require(ex, c, Role.ADMIN, "manage users");
                if (m.equals(Methods.GET)) {
                    ArrayNode out = JSON.createArrayNode();
                    for (AdminUser u : store.current().admin().users()) {
                        out.addObject().put("name", u.name()).put("role", u.role())
                                .put("mustChangePassword", u.mustChangePassword());
                    }
                    send(ex, 200, out);
                } else if (m.equals(Methods.POST)) {
                    csrf(ex, c);
                    createUser(ex, c);
                } else {
                    throw methodNotAllowed("GET, POST");
                }
            }
            case "/tokens" -> {
                require(ex, c, Role.ADMIN, "manage API tokens");
                if (m.equals(Methods.GET)) {
                    send(ex, 200, tokens.list(store.current().admin().apiTokens()));
                } else if (m.equals(Methods.POST)) {
                    csrf(ex, c);
                    createToken(ex, c);
                } else {
                    throw methodNotAllowed("GET, POST");
                }
            }
            case "/certificates" -> {
                if (m.equals(Methods.GET)) {
                    require(ex, c, Role.VIEWER, "read certificates");
                    send(ex, 200, certificates());
                } else if (m.equals(Methods.POST)) {
                    require(ex, c, Role.ADMIN, "add certificates");
                    csrf(ex, c);
                    putCertificate(ex, c, null);
                } else {
                    throw methodNotAllowed("GET, POST");
                }
            }
            case "/cluster/handoff" -> {
                if (!m.equals(Methods.POST)) {
                    throw methodNotAllowed("POST");
                }
                require(ex, c, Role.OPERATOR, "hand VIPs off");
                csrf(ex, c);
                JsonNode body = body(ex);
                String target = text(body, "node");
                boolean undo = body.path("undo").asBoolean(false);
                try {
                    node.handoff(target, undo);
                } catch (IllegalStateException e) {
                    throw new ApiError(409, "DUET-ADMIN-0129", e.getMessage());
                }
                audit.record(c.name(), address(ex), undo ? "handoff undo" : "handoff", "ok", null, "node " + target);
                send(ex, 200, JSON.createObjectNode().put("node", target).put("handedOff", !undo));
            }
            case "/config/export" -> {
                require(ex, c, Role.ADMIN, "export the configuration");
                DuetConfig cur = store.current();
                ex.getResponseHeaders().put(Headers.ETAG, etag(cur.revision()));
                ex.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"duet-revision-"
                        + cur.revision() + ".json\"");
                // The whole document for a backup: keys only in their sealed form, no users and tokens.
                send(ex, 200, Secrets.exported(cur));
            }
            case "/config/import" -> {
                if (!m.equals(Methods.POST)) {
                    throw methodNotAllowed("POST");
                }
                require(ex, c, Role.ADMIN, "import a configuration");
                csrf(ex, c);
                DuetConfig proposed = withHiddenSecrets(decode(ex));
                DuetConfig cur = store.current();
                String ifMatch = ex.getRequestHeaders().getFirst(Headers.IF_MATCH);
                DuetConfig committed = commit(proposed.withAdmin(cur.admin()), ifMatch == null ? cur.revision()
                        : revisionOf(ifMatch), c, summary(ex, "imported"));
                ex.getResponseHeaders().put(Headers.ETAG, etag(committed.revision()));
                send(ex, 200, JSON.createObjectNode().put("revision", committed.revision()));
            }
            case "/status/health" -> {
                require(ex, c, Role.VIEWER, "read the status");
                send(ex, 200, JSON.valueToTree(node.health()));
            }
            case "/status/cluster" -> {
                require(ex, c, Role.VIEWER, "read the status");
                send(ex, 200, JSON.valueToTree(node.cluster()));
            }
            case "/status/metrics" -> {
                require(ex, c, Role.VIEWER, "read the status");
                send(ex, 200, JSON.valueToTree(node.metrics()));
            }
            case "/audit" -> {
                require(ex, c, Role.ADMIN, "read the audit log");
                send(ex, 200, JSON.valueToTree(audit.recent(limit(ex))));
            }
            default -> {
                if (path.startsWith("/users/")) {
                    require(ex, c, Role.ADMIN, "manage users");
                    csrf(ex, c);
                    changeUser(ex, c, path.substring("/users/".length()));
                    return;
                }
                if (path.startsWith("/certificates/")) {
                    String name = path.substring("/certificates/".length());
                    require(ex, c, Role.ADMIN, "change certificates");
                    csrf(ex, c);
                    if (m.equals(Methods.PUT)) {
                        putCertificate(ex, c, name);
                    } else if (m.equals(Methods.DELETE)) {
                        deleteCertificate(ex, c, name);
                    } else {
                        throw methodNotAllowed("PUT, DELETE");
                    }
                    return;
                }
                if (path.startsWith("/tokens/")) {
                    require(ex, c, Role.ADMIN, "manage API tokens");
                    if (!m.equals(Methods.DELETE)) {
                        throw methodNotAllowed("DELETE");
                    }
                    csrf(ex, c);
                    String id = path.substring("/tokens/".length());
                    editAdmin(ex, c, "API token " + id + " revoked", a -> {
                        List<ApiToken> tokens = new ArrayList<>(a.apiTokens());
                        if (!tokens.removeIf(t -> t != null && id.equals(t.id()))) {
                            throw new ApiError(404, "DUET-ADMIN-0140", "no API token " + id);
                        }
                        return new Admin(a.users(), tokens);
                    });
                    ex.setStatusCode(204);
                    return;
                }
                java.util.regex.Matcher sm = SERVER_STATE.matcher(path);
                if (sm.matches()) {
                    if (!m.equals(Methods.PUT)) {
                        throw methodNotAllowed("PUT");
                    }
                    require(ex, c, Role.OPERATOR, "change server states");
                    csrf(ex, c);
                    serverState(ex, c, sm.group(1), sm.group(2));
                    return;
                }
                if (resource(ex, c, path)) {
                    return;
                }
                if (path.startsWith("/config/history/") && m.equals(Methods.GET)) {
                    require(ex, c, Role.VIEWER, "read the history");
                    long r;
                    try {
                        r = Long.parseLong(path.substring("/config/history/".length()));
                    } catch (NumberFormatException e) {
                        throw new ApiError(404, "DUET-ADMIN-0140", "no such revision");
                    }
                    send(ex, 200, redacted(revision(r)));
                    return;
                }
                throw new ApiError(404, "DUET-ADMIN-0140", "no such resource: " + PREFIX + path
                        + " (the resources are listed in " + PREFIX + "/openapi.json)");
            }
        }
    }

    // ---- authentication

    private void login(HttpServerExchange ex) throws Exception {
        JsonNode body = body(ex);
        String name = text(body, "name");
        String password = text(body, "password");
        String from = address(ex);
        LoginThrottle.Attempt attempt = reserve(ex, name, from, "login");
        AdminUser u = store.current().admin().user(name);
        boolean ok = checkPassword(attempt, password, u == null ? null : u.passwordHash());
        if (!ok) {
            audit.record(name, from, "login", "failed", null, u == null ? "unknown user" : "wrong password");
            throw new ApiError(401, "DUET-ADMIN-0101", "wrong user name or password");
        }
        String old = cookie(ex);
        sessions.remove(old);
        Sessions.Session s = sessions.create(u.name(), Sessions.fingerprint(u.role(), u.passwordHash()));
        setCookie(ex, s.id);
        audit.record(u.name(), from, "login", "ok", null, u.mustChangePassword() ? "must change password" : null);
        send(ex, 200, whoami(new Caller(u.name(), Role.of(u.role()), s, false, u.mustChangePassword(), from)));
    }

    /**
     * Reserves a password check of {@code name} from {@code from} with the throttle (before any hashing, so parallel
     * attempts count), or answers 429 with Retry-After.
     */
    private LoginThrottle.Attempt reserve(HttpServerExchange ex, String name, String from, String action)
            throws ApiError {
        LoginThrottle.Attempt attempt = throttle.begin(name, from);
        long wait = attempt.waitMs();
        if (wait > 0) {
            audit.record(name, from, action, "throttled", null, null);
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString((wait + 999) / 1000));
            throw new ApiError(429, "DUET-ADMIN-0102", "too many failed password checks from this address: try again "
                    + "in " + ((wait + 999) / 1000) + " s");
        }
        return attempt;
    }

    /**
     * Checks a password under a reserved attempt and ends it; a null {@code hash} (no such user) costs the same
     * work and fails. When the node is already hashing as many passwords as it allows, 503 with Retry-After (the
     * attempt then counts as nothing).
     */
    private static boolean checkPassword(LoginThrottle.Attempt attempt, String password, String hash)
            throws ApiError {
        boolean ok;
        try {
            ok = hash == null ? Passwords.verifyNobody(password) : Passwords.verify(password, hash);
        } catch (Passwords.BusyException e) {
            attempt.abandoned();
            throw new ApiError(503, "DUET-ADMIN-0152", e.getMessage(), List.of(), 1);
        } catch (RuntimeException | Error e) {
            attempt.abandoned();
            throw e;
        }
        if (ok) {
            attempt.succeeded();
        } else {
            attempt.failed();
        }
        return ok;
    }

    private Caller authenticate(HttpServerExchange ex, boolean passwordChangeAllowed) throws ApiError {
        DuetConfig cur = store.current();
        String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ApiToken t = ApiTokens.find(cur.admin().apiTokens(), auth.substring(7).trim());
            if (t == null) {
                audit.record(null, address(ex), "token", "failed", null, "unknown API token");
                throw new ApiError(401, "DUET-ADMIN-0103", "not logged in: the API token is not valid");
            }
            if (tokens.expired(t)) {
                audit.record("token:" + t.id(), address(ex), "token", "failed", null, "expired API token");
                throw new ApiError(401, "DUET-ADMIN-0150", "the API token " + t.id() + " (" + t.name() + ") expired "
                        + "at " + java.time.Instant.ofEpochMilli(t.expiresAt()) + ": an admin makes a new one (POST "
                        + PREFIX + "/tokens)");
            }
            tokens.used(t);
            return new Caller("token:" + t.id(), Role.of(t.role()), null, true, false, address(ex));
        }
        Sessions.Session s = sessions.find(cookie(ex), user -> {
            AdminUser u = cur.admin().user(user);
            return u == null ? null : Sessions.fingerprint(u.role(), u.passwordHash());
        });
        if (s == null) {
            throw new ApiError(401, "DUET-ADMIN-0103", "not logged in (or the session expired): POST " + PREFIX
                    + "/session with name and password");
        }
        AdminUser u = cur.admin().user(s.user);
        Caller c = new Caller(u.name(), Role.of(u.role()), s, false, u.mustChangePassword(), address(ex));
        if (c.mustChangePassword() && !passwordChangeAllowed) {
            throw new ApiError(403, "DUET-ADMIN-0105", "change your password first: PUT " + PREFIX
                    + "/session/password with current and new");
        }
        return c;
    }

    private void require(HttpServerExchange ex, Caller c, Role needed, String what) throws ApiError {
        if (c.role().compareTo(needed) < 0) {
            audit.record(c.name(), address(ex), ex.getRequestMethod() + " " + ex.getRequestPath(), "denied", null,
                    "role " + c.role().name().toLowerCase(Locale.ROOT));
            throw new ApiError(403, "DUET-ADMIN-0106", "your role (" + c.role().name().toLowerCase(Locale.ROOT)
                    + ") may not " + what + "; it needs " + needed.name().toLowerCase(Locale.ROOT));
        }
    }

    /** A state change with a session must carry the session's CSRF token (API tokens are not sent by browsers). */
    private void csrf(HttpServerExchange ex, Caller c) throws ApiError {
        if (c.token()) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst(CSRF_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII),
                c.session().csrf.getBytes(StandardCharsets.US_ASCII))) {
            audit.record(c.name(), address(ex), ex.getRequestMethod() + " " + ex.getRequestPath(), "denied", null,
                    "missing or wrong CSRF token");
            throw new ApiError(403, "DUET-ADMIN-0104", "missing or wrong " + CSRF_HEADER + " header (its value is the "
                    + "csrfToken of GET " + PREFIX + "/session)");
        }
    }

    private void changePassword(HttpServerExchange ex, Caller c) throws Exception {
        JsonNode body = body(ex);
        String current = text(body, "current");
        String next = text(body, "new");
        DuetConfig cur = store.current();
        AdminUser u = cur.admin().user(c.name());
        LoginThrottle.Attempt attempt = reserve(ex, c.name(), address(ex), "password change");
        if (!checkPassword(attempt, current, u == null ? null : u.passwordHash())) {
            audit.record(c.name(), address(ex), "password change", "failed", null, "wrong current password");
            throw new ApiError(403, "DUET-ADMIN-0107", "the current password is wrong");
        }
        String weak = Passwords.weakness(u.name(), next, current);
        if (weak != null) {
            throw new ApiError(422, "DUET-ADMIN-0108", "the new password is too weak (expected: " + weak + ")",
                    List.of(Violation.error("$.new", "DUET-ADMIN-0108", "new: expected " + weak)));
        }
        List<AdminUser> users = new ArrayList<>();
        for (AdminUser x : cur.admin().users()) {
            users.add(x == u ? new AdminUser(u.name(), u.role(), Passwords.hash(next), false) : x);
        }
        DuetConfig committed = commit(cur.withAdmin(new Admin(users, cur.admin().apiTokens())), cur.revision(), c,
                "password of " + u.name() + " changed");
        // Every session of the user (on every node) is now dead: its fingerprint changed. A new one for this caller.
        sessions.remove(c.session().id);
        AdminUser changed = committed.admin().user(u.name());
        Sessions.Session s = sessions.create(u.name(), Sessions.fingerprint(changed.role(), changed.passwordHash()));
        setCookie(ex, s.id);
        send(ex, 200, whoami(new Caller(u.name(), c.role(), s, false, false, c.address())));
    }

    private static final java.util.regex.Pattern SERVER_STATE =
            java.util.regex.Pattern.compile("/pools/([^/]+)/servers/([^/]+)/state");

    /**
     * Enable, drain (optionally until a deadline, after which sticky clients are not sent either) or put a server in
     * maintenance: a committed change of the document, so every node does the same. Answers the server's live
     * figures on this node (requests in flight, sticky clients), so the operator sees when it is empty.
     */
    private void serverState(HttpServerExchange ex, Caller c, String pool, String server) throws Exception {
        JsonNode body = body(ex);
        String state = text(body, "state");
        if (!io.duet.config.Server.STATES.contains(state)) {
            throw new ApiError(422, "DUET-ADMIN-0126", "state: '" + state + "' (expected one of: "
                    + String.join(", ", io.duet.config.Server.STATES) + ")", List.of(Violation.error("$.state",
                    "DUET-ADMIN-0126", "state: expected one of " + io.duet.config.Server.STATES)));
        }
        String until = null;
        if (body.hasNonNull("drainSeconds")) {
            if (!state.equals("drain") || !body.get("drainSeconds").canConvertToLong()
                    || body.get("drainSeconds").asLong() <= 0) {
                throw new ApiError(422, "DUET-ADMIN-0126", "drainSeconds: a positive number, with state drain only",
                        List.of(Violation.error("$.drainSeconds", "DUET-ADMIN-0126", "drainSeconds: expected a "
                                + "positive number of seconds with state drain")));
            }
            until = java.time.Instant.ofEpochMilli(clock.millis()).plusSeconds(body.get("drainSeconds").asLong())
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
        String deadline = until;
        DuetConfig committed = commitChange(ex, c, "server " + pool + "/" + server + " " + state
                + (deadline == null ? "" : " until " + deadline), cur -> {
            List<io.duet.config.Pool> pools = new ArrayList<>();
            boolean found = false;
            for (io.duet.config.Pool p : cur.pools()) {
                if (p != null && pool.equals(p.name())) {
                    List<io.duet.config.Server> servers = new ArrayList<>();
                    for (io.duet.config.Server s : p.servers()) {
                        if (s != null && server.equals(s.id())) {
                            found = true;
                            servers.add(new io.duet.config.Server(s.id(), s.address(), s.port(), s.weight(), s.backup(),
                                    state, deadline));
                        } else {
                            servers.add(s);
                        }
                    }
                    pools.add(p.withServers(servers));
                } else {
                    pools.add(p);
                }
            }
            if (!found) {
                throw new ApiError(404, "DUET-ADMIN-0140", "no server " + server + " in pool " + pool);
            }
            return new DuetConfig(cur.revision(), cur.listeners(), cur.limits(), cur.forwarding(),
                    cur.accessLog(), cur.virtualHosts(), pools, cur.certificates(), cur.vips(), cur.admin(),
                    cur.failover());
        });
        ObjectNode o = JSON.createObjectNode().put("pool", pool).put("server", server).put("state", state)
                .put("revision", committed.revision());
        if (deadline != null) {
            o.put("drainUntil", deadline);
        }
        for (Map<String, Object> p : node.health()) {
            if (pool.equals(p.get("pool")) && p.get("servers") instanceof List<?> list) {
                for (Object s : list) {
                    if (s instanceof Map<?, ?> sm && server.equals(sm.get("server"))) {
                        o.set("live", JSON.valueToTree(sm));
                    }
                }
            }
        }
        ex.getResponseHeaders().put(Headers.ETAG, etag(committed.revision()));
        send(ex, 200, o);
    }

    /** Certificates with what an operator needs (names, validity, days left); never a key. */
    private ArrayNode certificates() {
        ArrayNode out = JSON.createArrayNode();
        long now = clock.millis();
        for (io.duet.config.TlsCertificate t : store.current().certificates()) {
            if (t == null) {
                continue;
            }
            ObjectNode o = out.addObject().put("name", t.name()).put("sealed",
                    t.privateKey() != null && t.privateKey().startsWith("duet-sealed:"));
            try {
                java.security.cert.X509Certificate leaf = io.duet.tls.CertificateImport.readCertificates(
                        t.certificateChain()).get(0);
                o.put("subject", leaf.getSubjectX500Principal().getName());
                o.put("issuer", leaf.getIssuerX500Principal().getName());
                o.put("notAfter", leaf.getNotAfter().toInstant().toString());
                long days = (leaf.getNotAfter().getTime() - now) / 86_400_000L;
                o.put("daysLeft", days);
                o.put("status", days < 0 ? "expired" : days < 30 ? "expiring" : "ok");
                ArrayNode names = o.putArray("names");
                if (leaf.getSubjectAlternativeNames() != null) {
                    for (List<?> san : leaf.getSubjectAlternativeNames()) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            } catch (RuntimeException | java.security.cert.CertificateParsingException e) {
                o.put("status", "unreadable");
            }
        }
        return out;
    }

    /**
     * Adds ({@code name} null) or replaces a certificate from PEM (chain and key, with the passphrase of an
     * encrypted key) or PKCS#12 (base64, with its passphrase). The material is checked first (key match, chain,
     * validity, strength); every finding comes back with its field. The node seals the key when the revision is
     * committed; no answer ever contains it.
     */
    private void putCertificate(HttpServerExchange ex, Caller c, String replace) throws Exception {
        JsonNode body = body(ex);
        String name = replace != null ? replace : text(body, "name");
        String chain = body.hasNonNull("certificateChain") ? body.get("certificateChain").asText() : null;
        String key = body.hasNonNull("privateKey") ? body.get("privateKey").asText() : null;
        String pkcs12 = body.hasNonNull("pkcs12") ? body.get("pkcs12").asText() : null;
        String pass = body.hasNonNull("passphrase") ? body.get("passphrase").asText() : null;
        io.duet.tls.CertifiedKey checked;
        try {
            if (pkcs12 != null) {
                checked = io.duet.tls.CertificateImport.fromPkcs12(java.util.Base64.getMimeDecoder().decode(pkcs12),
                        pass == null ? null : pass.toCharArray(), clock, io.duet.tls.CertificateImport.Validity.ENFORCE);
            } else if (chain != null && key != null) {
                checked = io.duet.tls.CertificateImport.check(io.duet.tls.CertificateImport.readCertificates(chain),
                        io.duet.tls.CertificateImport.readPrivateKey(key, pass == null ? null : pass.toCharArray()),
                        clock, io.duet.tls.CertificateImport.Validity.ENFORCE);
            } else {
                throw new ApiError(422, "DUET-ADMIN-0127", "expected certificateChain and privateKey (PEM), or pkcs12 "
                        + "(base64), each with passphrase when encrypted", List.of(Violation.error("$.certificateChain",
                        "DUET-ADMIN-0127", "certificateChain: missing (or give pkcs12)")));
            }
        } catch (io.duet.tls.TlsMaterialException e) {
            List<Violation> v = new ArrayList<>();
            for (io.duet.tls.Finding f : e.findings()) {
                if (f.isError()) {
                    v.add(Violation.error(pkcs12 != null ? "$.pkcs12" : f.message().toLowerCase(Locale.ROOT)
                            .contains("key") ? "$.privateKey" : "$.certificateChain", f.kind().id(), f.message()));
                }
            }
            throw new ApiError(422, "DUET-ADMIN-0127", "the certificate material is not usable: " + e.getMessage(), v);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, "DUET-ADMIN-0127", "pkcs12: not base64", List.of(Violation.error("$.pkcs12",
                    "DUET-ADMIN-0127", "pkcs12: not base64")));
        }
        // PKCS#12 is unpacked here (chain leaf first, key as PKCS#8), so the document holds one form only.
        io.duet.config.TlsCertificate cert = pkcs12 != null
                ? new io.duet.config.TlsCertificate(name, io.duet.tls.Pem.certificates(checked.chain()),
                        "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                                .encodeToString(checked.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n")
                : new io.duet.config.TlsCertificate(name, chain, key, pass, null);
        String what = "certificate " + name + (replace != null ? " replaced" : " added") + " (" + checked.subject()
                + ", until " + checked.notAfter() + ")";
        DuetConfig committed = commitChange(ex, c, what, cur -> {
            List<io.duet.config.TlsCertificate> certs = new ArrayList<>();
            boolean found = false;
            for (io.duet.config.TlsCertificate t : cur.certificates()) {
                if (t != null && name.equals(t.name())) {
                    found = true;
                    certs.add(cert);
                } else {
                    certs.add(t);
                }
            }
            if (replace == null && found) {
                throw new ApiError(409, "DUET-ADMIN-0124", "certificate " + name + " exists already: PUT "
                        + PREFIX + "/certificates/" + name + " replaces it");
            }
            if (replace != null && !found) {
                throw new ApiError(404, "DUET-ADMIN-0140", "no certificate " + name);
            }
            if (!found) {
                certs.add(cert);
            }
            return cur.withCertificates(certs);
        });
        send(ex, replace != null ? 200 : 201, JSON.createObjectNode().put("name", name)
                .put("subject", checked.subject()).put("notAfter", checked.notAfter().toString())
                .put("revision", committed.revision()));
    }

    private void deleteCertificate(HttpServerExchange ex, Caller c, String name) throws Exception {
        commitChange(ex, c, "certificate " + name + " removed", cur -> {
            List<io.duet.config.TlsCertificate> certs = new ArrayList<>(cur.certificates());
            if (!certs.removeIf(t -> t != null && name.equals(t.name()))) {
                throw new ApiError(404, "DUET-ADMIN-0140", "no certificate " + name);
            }
            return cur.withCertificates(certs);
        });
        ex.setStatusCode(204);
    }

    /** Top-level lists of the document and the field that names their elements. */
    private static final Map<String, String> COLLECTIONS = Map.of("listeners", "name", "virtualHosts", "name",
            "pools", "name", "vips", "address");
    /** Lists inside an element: virtualHosts/{vh}/routes/{name}, pools/{pool}/servers/{id}. */
    private static final Map<String, String[]> NESTED = Map.of("virtualHosts", new String[]{"routes", "name"},
            "pools", new String[]{"servers", "id"});
    private static final java.util.Set<String> SINGLETONS = java.util.Set.of("limits", "forwarding", "accessLog");

    /**
     * The document's parts as resources: {@code GET/PUT/DELETE /listeners|virtualHosts|pools|vips/{name}},
     * {@code .../virtualHosts/{vh}/routes/{name}}, {@code .../pools/{pool}/servers/{id}}, {@code GET/PUT
     * /limits|forwarding|accessLog}, and {@code GET} of each list. A PUT creates or replaces (201/200), a DELETE
     * removes (204); each is one committed revision, validated as a whole (a pool still used by a route: 422 with
     * the route's path). With If-Match the edit applies to that revision only (409 when stale).
     *
     * @return false when the path is not such a resource
     */
    private boolean resource(HttpServerExchange ex, Caller c, String path) throws Exception {
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = java.net.URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        boolean singleton = parts.length == 1 && SINGLETONS.contains(parts[0]);
        boolean top = COLLECTIONS.containsKey(parts[0]) && (parts.length == 1 || parts.length == 2);
        boolean nested = NESTED.containsKey(parts[0]) && (parts.length == 3 || parts.length == 4)
                && parts[2].equals(NESTED.get(parts[0])[0]);
        if (!singleton && !top && !nested) {
            return false;
        }
        HttpString m = ex.getRequestMethod();
        boolean collectionOnly = (top && parts.length == 1) || (nested && parts.length == 3);
        if (m.equals(Methods.GET)) {
            require(ex, c, Role.VIEWER, "read the configuration");
            JsonNode doc = redacted(store.current());
            JsonNode found = locate(doc, parts, singleton, nested, collectionOnly);
            ex.getResponseHeaders().put(Headers.ETAG, etag(store.current().revision()));
            send(ex, 200, found);
            return true;
        }
        if (collectionOnly || !(m.equals(Methods.PUT) || m.equals(Methods.DELETE))
                || (singleton && m.equals(Methods.DELETE))) {
            throw methodNotAllowed(collectionOnly ? "GET" : singleton ? "GET, PUT" : "GET, PUT, DELETE");
        }
        require(ex, c, Role.ADMIN, "change the configuration");
        csrf(ex, c);
        JsonNode body = m.equals(Methods.PUT) ? body(ex) : null;
        boolean[] created = new boolean[1];
        boolean exists = body == null || exists(parts, singleton, nested);
        String what = String.join("/", parts) + (body == null ? " removed" : exists ? " changed" : " added");
        DuetConfig committed = commitChange(ex, c, what, cur -> {
            ObjectNode doc;
            try {
                doc = (ObjectNode) JSON.readTree(ConfigCodec.encode(cur, ConfigCodec.Format.JSON));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            created[0] = change(doc, parts, singleton, nested, body == null ? null : body.deepCopy());
            try {
                return withHiddenSecrets(ConfigCodec.decode(doc.toString(), ConfigCodec.Format.JSON))
                        .withAdmin(cur.admin());
            } catch (InvalidConfigException e) {
                throw new ApiError(422, "DUET-ADMIN-0121", "the document does not read: nothing was changed",
                        e.violations());
            }
        });
        ex.getResponseHeaders().put(Headers.ETAG, etag(committed.revision()));
        if (body == null) {
            ex.setStatusCode(204);
        } else {
            send(ex, created[0] ? 201 : 200, locate(redacted(committed), parts, singleton, nested, false));
        }
        return true;
    }

    /** True when the element a PUT names is there already (for the history's summary). */
    private boolean exists(String[] parts, boolean singleton, boolean nested) {
        try {
            locate(redacted(store.current()), parts, singleton, nested, false);
            return true;
        } catch (ApiError e) {
            return false;
        }
    }

    private static JsonNode locate(JsonNode doc, String[] parts, boolean singleton, boolean nested,
                                   boolean collectionOnly) throws ApiError {
        if (singleton) {
            return doc.path(parts[0]);
        }
        JsonNode list = doc.path(parts[0]);
        if (collectionOnly && !nested) {
            return list.isMissingNode() ? JSON.createArrayNode() : list;
        }
        JsonNode element = find(list, COLLECTIONS.get(parts[0]), parts[1]);
        if (element == null) {
            throw new ApiError(404, "DUET-ADMIN-0140", "no " + parts[0] + " element '" + parts[1] + "'");
        }
        if (!nested) {
            return element;
        }
        JsonNode inner = element.path(parts[2]);
        if (collectionOnly) {
            return inner.isMissingNode() ? JSON.createArrayNode() : inner;
        }
        JsonNode x = find(inner, NESTED.get(parts[0])[1], parts[3]);
        if (x == null) {
            throw new ApiError(404, "DUET-ADMIN-0140", "no " + parts[2] + " element '" + parts[3] + "' in "
                    + parts[0] + "/" + parts[1]);
        }
        return x;
    }

    private static JsonNode find(JsonNode list, String key, String value) {
        for (JsonNode e : list) {
            if (value.equals(e.path(key).asText(null))) {
                return e;
            }
        }
        return null;
    }

    /** Applies a PUT ({@code body}) or DELETE (null) to the document tree; true when the PUT created. */
    private static boolean change(ObjectNode doc, String[] parts, boolean singleton, boolean nested, JsonNode body)
            throws ApiError {
        if (body != null && !body.isObject()) {
            throw new ApiError(400, "DUET-ADMIN-0110", "expected a JSON object");
        }
        if (singleton) {
            doc.set(parts[0], body);
            return false;
        }
        ArrayNode list = doc.has(parts[0]) ? (ArrayNode) doc.get(parts[0]) : doc.putArray(parts[0]);
        String key = COLLECTIONS.get(parts[0]);
        String name = parts[1];
        if (nested) {
            JsonNode outer = find(list, key, name);
            if (outer == null) {
                throw new ApiError(404, "DUET-ADMIN-0140", "no " + parts[0] + " element '" + name + "'");
            }
            ObjectNode o = (ObjectNode) outer;
            list = o.has(parts[2]) ? (ArrayNode) o.get(parts[2]) : o.putArray(parts[2]);
            key = NESTED.get(parts[0])[1];
            name = parts[3];
        }
        if (body != null) {
            JsonNode given = body.get(key);
            if (given != null && !name.equals(given.asText())) {
                throw new ApiError(422, "DUET-ADMIN-0128", key + ": '" + given.asText() + "' differs from the path's '"
                        + name + "'", List.of(Violation.error("$." + key, "DUET-ADMIN-0128", key + ": expected '"
                        + name + "' as in the path")));
            }
            ((ObjectNode) body).put(key, name);
        }
        for (int i = 0; i < list.size(); i++) {
            if (name.equals(list.get(i).path(key).asText(null))) {
                if (body == null) {
                    list.remove(i);
                } else {
                    list.set(i, body);
                }
                return false;
            }
        }
        if (body == null) {
            throw new ApiError(404, "DUET-ADMIN-0140", "no element '" + name + "' to remove");
        }
        list.add(body);
        return true;
    }

    /** A change of the admin section of the current document. */
    private interface AdminEdit {
        Admin apply(Admin current) throws ApiError;
    }

    /** Applies an edit of users or tokens to the current document and commits it (see {@link #commitChange}). */
    private DuetConfig editAdmin(HttpServerExchange ex, Caller c, String summary, AdminEdit edit) throws ApiError {
        return commitChange(ex, c, summary, cur -> cur.withAdmin(edit.apply(cur.admin())));
    }

    /** A change of the current document. */
    private interface DocumentEdit {
        DuetConfig apply(DuetConfig current) throws ApiError;
    }

    /**
     * Commits a change of the current document: with If-Match, against that revision only (409 when stale);
     * without, against the newest, applied again once if another commit slipped in between (the change is
     * targeted, so applying it to the newer document is what the caller meant).
     */
    private DuetConfig commitChange(HttpServerExchange ex, Caller c, String summary, DocumentEdit edit)
            throws ApiError {
        String ifMatch = ex.getRequestHeaders().getFirst(Headers.IF_MATCH);
        for (int attempt = 0; ; attempt++) {
            DuetConfig cur = store.current();
            if (ifMatch != null && revisionOf(ifMatch) != cur.revision()) {
                throw new ApiError(409, "DUET-ADMIN-0122", "revision " + revisionOf(ifMatch) + " is no longer current "
                        + "(now " + cur.revision() + "): reload and repeat the change");
            }
            DuetConfig next = edit.apply(cur);
            try {
                return commit(next, cur.revision(), c, summary);
            } catch (ApiError e) {
                if (e.status != 409 || ifMatch != null || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void createUser(HttpServerExchange ex, Caller c) throws Exception {
        JsonNode body = body(ex);
        String name = text(body, "name");
        String role = text(body, "role");
        String given = body.hasNonNull("password") ? body.get("password").asText() : null;
        String password = given != null ? given : Passwords.generate();
        if (given != null) {
            String weak = Passwords.weakness(name, given, null);
            if (weak != null) {
                throw new ApiError(422, "DUET-ADMIN-0108", "the password is too weak (expected: " + weak + ")",
                        List.of(Violation.error("$.password", "DUET-ADMIN-0108", "password: expected " + weak)));
            }
        }
        String hash = Passwords.hash(password);
        DuetConfig committed = editAdmin(ex, c, "user " + name + " added (" + role + ")", a -> {
            if (a.user(name) != null) {
                throw new ApiError(409, "DUET-ADMIN-0124", "user " + name + " exists already");
            }
            List<AdminUser> users = new ArrayList<>(a.users());
            users.add(new AdminUser(name, role, hash, true));
            return new Admin(users, a.apiTokens());
        });
        ObjectNode o = JSON.createObjectNode().put("name", name).put("role", role).put("mustChangePassword", true)
                .put("revision", committed.revision());
        if (given == null) {
            o.put("password", password); // shown this once; the user must change it at the first login
        }
        send(ex, 201, o);
    }

    private void changeUser(HttpServerExchange ex, Caller c, String name) throws Exception {
        HttpString m = ex.getRequestMethod();
        if (m.equals(Methods.DELETE)) {
            if (name.equals(c.name())) {
                throw new ApiError(409, "DUET-ADMIN-0125", "you cannot delete yourself: another admin can");
            }
            editAdmin(ex, c, "user " + name + " deleted", a -> {
                List<AdminUser> users = new ArrayList<>(a.users());
                if (!users.removeIf(u -> u != null && name.equals(u.name()))) {
                    throw new ApiError(404, "DUET-ADMIN-0140", "no user " + name);
                }
                return new Admin(users, a.apiTokens());
            });
            ex.setStatusCode(204);
            return;
        }
        if (!m.equals(Methods.PUT)) {
            throw methodNotAllowed("PUT, DELETE");
        }
        JsonNode body = body(ex);
        String role = body.hasNonNull("role") ? body.get("role").asText() : null;
        String password = body.hasNonNull("password") ? body.get("password").asText() : null;
        if (password != null) {
            String weak = Passwords.weakness(name, password, null);
            if (weak != null) {
                throw new ApiError(422, "DUET-ADMIN-0108", "the password is too weak (expected: " + weak + ")",
                        List.of(Violation.error("$.password", "DUET-ADMIN-0108", "password: expected " + weak)));
            }
        }
        String hash = password == null ? null : Passwords.hash(password);
        DuetConfig committed = editAdmin(ex, c, "user " + name + " changed" + (role == null ? "" : " (role " + role
                + ")") + (hash == null ? "" : " (password reset)"), a -> {
            AdminUser u = a.user(name);
            if (u == null) {
                throw new ApiError(404, "DUET-ADMIN-0140", "no user " + name);
            }
            List<AdminUser> users = new ArrayList<>();
            for (AdminUser x : a.users()) {
                users.add(x != u ? x : new AdminUser(u.name(), role == null ? u.role() : role,
                        hash == null ? u.passwordHash() : hash, hash != null || u.mustChangePassword()));
            }
            return new Admin(users, a.apiTokens());
        });
        AdminUser u = committed.admin().user(name);
        send(ex, 200, JSON.createObjectNode().put("name", u.name()).put("role", u.role())
                .put("mustChangePassword", u.mustChangePassword()).put("revision", committed.revision()));
    }

    /**
     * A new API token ({@code name}, {@code role}, optional {@code expiresInDays}: default
     * {@value ApiToken#DEFAULT_DAYS}, at most {@value ApiToken#MAX_DAYS}); the secret is in this answer only.
     */
    private void createToken(HttpServerExchange ex, Caller c) throws Exception {
        JsonNode body = body(ex);
        String name = text(body, "name");
        String role = text(body, "role");
        JsonNode days = body.get("expiresInDays");
        ApiTokens.Made made;
        try {
            if (days != null && !days.isNull() && !days.canConvertToInt()) {
                throw new IllegalArgumentException("expiresInDays: " + days + " (expected: a number of days, 1-"
                        + ApiToken.MAX_DAYS + ")");
            }
            made = tokens.make(name, role, c.name(), days == null || days.isNull() ? null : days.asInt());
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, "DUET-ADMIN-0151", e.getMessage(), List.of(Violation.error("$.expiresInDays",
                    "DUET-ADMIN-0151", "expiresInDays: expected 1-" + ApiToken.MAX_DAYS + " (default "
                            + ApiToken.DEFAULT_DAYS + ")")));
        }
        ApiToken t = made.token();
        DuetConfig committed = editAdmin(ex, c, "API token " + t.id() + " (" + name + ", " + role + ") created, "
                + "expires " + java.time.Instant.ofEpochMilli(t.expiresAt()), a -> {
            List<ApiToken> list = new ArrayList<>(a.apiTokens());
            list.add(t);
            return new Admin(a.users(), list);
        });
        send(ex, 201, JSON.createObjectNode().put("id", t.id()).put("name", name).put("role", role)
                .put("expires", t.expiresAt()).put("token", made.secret()).put("revision", committed.revision()));
    }

    private ObjectNode whoami(Caller c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", c.name());
        o.put("role", c.role().name().toLowerCase(Locale.ROOT));
        o.put("mustChangePassword", c.mustChangePassword());
        if (c.session() != null) {
            o.put("csrfToken", c.session().csrf);
        }
        return o;
    }

    // ---- the configuration

    private void apply(HttpServerExchange ex, Caller c) throws Exception {
        String ifMatch = ex.getRequestHeaders().getFirst(Headers.IF_MATCH);
        if (ifMatch == null) {
            throw new ApiError(428, "DUET-ADMIN-0120", "If-Match is required: send the ETag of the revision you "
                    + "edited (GET " + PREFIX + "/config), so a concurrent edit is never overwritten");
        }
        long base = revisionOf(ifMatch);
        DuetConfig proposed = withHiddenSecrets(decode(ex));
        DuetConfig cur = store.current();
        String summary = summary(ex, "edited through the API");
        DuetConfig committed = commit(proposed.withAdmin(cur.admin()), base, c, summary);
        ObjectNode o = JSON.createObjectNode();
        o.put("revision", committed.revision());
        ex.getResponseHeaders().put(Headers.ETAG, etag(committed.revision()));
        send(ex, 200, o);
    }

    private void validate(HttpServerExchange ex) throws Exception {
        DuetConfig proposed = withHiddenSecrets(decode(ex)).withAdmin(store.current().admin());
        List<Violation> v = store.validate(proposed); // what a PUT would find, certificate material included
        ObjectNode o = JSON.createObjectNode();
        o.put("valid", v.stream().noneMatch(Violation::isError));
        o.set("violations", JSON.valueToTree(v));
        o.set("diff", JSON.valueToTree(JsonDiff.diff(redacted(store.current()),
                redacted(proposed.withRevision(store.current().revision())))));
        send(ex, 200, o);
    }

    private void rollback(HttpServerExchange ex, Caller c) throws Exception {
        JsonNode body = body(ex);
        if (body.get("revision") == null || !body.get("revision").canConvertToLong()) {
            throw new ApiError(400, "DUET-ADMIN-0110", "expected {\"revision\": N}");
        }
        long to = body.get("revision").asLong();
        DuetConfig target = revision(to);
        DuetConfig cur = store.current();
        String ifMatch = ex.getRequestHeaders().getFirst(Headers.IF_MATCH);
        long base = ifMatch == null ? cur.revision() : revisionOf(ifMatch);
        // The users and tokens stay as they are now: a rollback is about the traffic configuration.
        DuetConfig committed = commit(target.withAdmin(cur.admin()), base, c, "rollback to revision " + to);
        ObjectNode o = JSON.createObjectNode();
        o.put("revision", committed.revision());
        o.put("rolledBackTo", to);
        ex.getResponseHeaders().put(Headers.ETAG, etag(committed.revision()));
        send(ex, 200, o);
    }

    private DuetConfig commit(DuetConfig proposed, long base, Caller c, String summary) throws ApiError {
        try {
            DuetConfig committed = store.propose(proposed, base, c.name(), summary);
            audit.record(c.name(), c.address(), "commit", "ok", committed.revision(), summary);
            return committed;
        } catch (InvalidConfigException e) {
            throw new ApiError(422, "DUET-ADMIN-0121", "the document is invalid: nothing was changed",
                    e.violations());
        } catch (RevisionConflictException e) {
            throw new ApiError(409, "DUET-ADMIN-0122", "revision " + base + " is no longer current (now "
                    + store.current().revision() + "): someone else committed first; reload, reapply your edit, and "
                    + "send it with the new ETag");
        } catch (IllegalStateException e) {
            throw new ApiError(503, "DUET-ADMIN-0123", "the change was not committed: " + e.getMessage());
        }
    }

    private DuetConfig revision(long r) throws ApiError {
        for (ConfigStore.Commit k : store.commits()) {
            if (k.config().revision() == r) {
                return k.config();
            }
        }
        throw new ApiError(404, "DUET-ADMIN-0140", "revision " + r + " is not in the history (it keeps the last "
                + store.commits().size() + ")");
    }

    private static DuetConfig decode(HttpServerExchange ex) throws ApiError {
        String text = new String(bytes(ex), StandardCharsets.UTF_8);
        try {
            return ConfigCodec.decode(text, ConfigCodec.Format.JSON);
        } catch (InvalidConfigException e) {
            throw new ApiError(422, "DUET-ADMIN-0121", "the document does not read: nothing was changed",
                    e.violations());
        }
    }

    /** A document sent back as it was shown keeps the stored secrets ({@link Secrets#keepHidden}). */
    private DuetConfig withHiddenSecrets(DuetConfig proposed) throws ApiError {
        try {
            return Secrets.keepHidden(proposed, store.current());
        } catch (InvalidConfigException e) {
            throw new ApiError(422, "DUET-ADMIN-0121", "the document does not read: nothing was changed",
                    e.violations());
        }
    }

    /** The document as the API shows it to every role: no secret ({@link Secrets#shown}). */
    static JsonNode redacted(DuetConfig c) {
        return Secrets.shown(c);
    }

    // ---- HTTP helpers

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    private static long revisionOf(String ifMatch) throws ApiError {
        String t = ifMatch.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        t = t.replace("\"", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "DUET-ADMIN-0120", "If-Match: '" + ifMatch + "' is not a revision ETag such as "
                    + "\"12\"");
        }
    }

    private static long longParam(HttpServerExchange ex, String name) throws ApiError {
        var v = ex.getQueryParameters().get(name);
        try {
            return Long.parseLong(v == null ? "" : v.getFirst());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "DUET-ADMIN-0110", "query parameter " + name + " must be a revision number");
        }
    }

    /** {@code ?limit=} of a list: 1-5000, default 500. */
    private static int limit(HttpServerExchange ex) throws ApiError {
        var v = ex.getQueryParameters().get("limit");
        if (v == null) {
            return 500;
        }
        try {
            int n = Integer.parseInt(v.getFirst());
            if (n >= 1 && n <= 5000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ApiError(400, "DUET-ADMIN-0130", "query parameter limit must be a number from 1 to 5000");
    }

    private static String summary(HttpServerExchange ex, String fallback) {
        String s = ex.getRequestHeaders().getFirst("X-Duet-Summary");
        if (s == null || s.isBlank()) {
            return fallback;
        }
        s = s.replaceAll("\\p{Cntrl}", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static byte[] bytes(HttpServerExchange ex) throws ApiError {
        try {
            return RequestBody.read(ex);
        } catch (RequestBody.TooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new ApiError(400, "DUET-ADMIN-0110", "the request body could not be read");
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "DUET-ADMIN-0111", "the request body is larger than " + RequestBody.MAX_BYTES
                + " bytes");
    }

    private static JsonNode body(HttpServerExchange ex) throws ApiError {
        try {
            JsonNode n = JSON.readTree(bytes(ex));
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "DUET-ADMIN-0110", "expected a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "DUET-ADMIN-0110", "the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "DUET-ADMIN-0110", "the request body could not be read");
        }
    }

    private static String text(JsonNode body, String field) throws ApiError {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new ApiError(400, "DUET-ADMIN-0110", "expected the string field '" + field + "'",
                    List.of(Violation.error("$." + field, "DUET-ADMIN-0110", field + ": missing (expected: a "
                            + "string)")));
        }
        return v.asText();
    }

    private static String cookie(HttpServerExchange ex) {
        Cookie c = ex.getRequestCookie(Sessions.COOKIE);
        return c == null ? null : c.getValue();
    }

    private static void setCookie(HttpServerExchange ex, String id) {
        ex.setResponseCookie(new CookieImpl(Sessions.COOKIE, id).setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSiteMode("Strict"));
    }

    private static void expireCookie(HttpServerExchange ex) {
        ex.setResponseCookie(new CookieImpl(Sessions.COOKIE, "").setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSiteMode("Strict").setMaxAge(0));
    }

    static String address(HttpServerExchange ex) {
        var a = ex.getSourceAddress();
        return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
    }

    static String sha256(String s) {
        return ApiTokens.sha256(s);
    }

    private static ApiError methodNotAllowed(String allowed) {
        return new ApiError(405, "DUET-ADMIN-0109", "method not allowed here (allowed: " + allowed + ")");
    }

    static void send(HttpServerExchange ex, int status, Object body) throws IOException {
        sendRaw(ex, status, JSON.writeValueAsBytes(body));
    }

    /** Writes the whole answer and flushes it (not the sender: it ends the exchange, draining the body unbounded). */
    static void sendRaw(HttpServerExchange ex, int status, byte[] body) throws IOException {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        try (java.io.OutputStream out = ex.getOutputStream()) {
            out.write(body);
        }
    }

    private static void error(HttpServerExchange ex, ApiError e) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.id);
        o.put("message", e.getMessage());
        if (!e.violations.isEmpty()) {
            o.set("violations", JSON.valueToTree(e.violations));
        }
        if (e.status == 405) {
            ex.getResponseHeaders().put(Headers.ALLOW, e.getMessage().replaceAll(".*allowed: (.*)\\)", "$1"));
        }
        if (e.retryAfterSeconds > 0) {
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
        }
        send(ex, e.status, o);
    }

    Map<String, Object> status() {
        return Map.of("sessions", sessions.size());
    }
}
