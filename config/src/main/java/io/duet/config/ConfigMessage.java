package io.duet.config;

import java.util.Locale;

/**
 * Every operator-facing message of the config module: a stable id, its severity and a message template
 * ({@link String#format}). config/README.md lists them; an id never changes meaning once released.
 */
public enum ConfigMessage {
    // Reading (ConfigCodec).
    SYNTAX(1, "%s"),
    UNKNOWN_FIELD(2, "%s"),
    WRONG_TYPE(3, "%s"),
    DUPLICATE_FIELD(4, "%s"),

    // Any value.
    NULL_ELEMENT(10, "%s: null (expected: %s)"),
    MISSING(11, "%s: missing (expected: %s)"),
    OUT_OF_RANGE(12, "%s: %s (expected: %s)"),
    DUPLICATE_NAME(13, "%s: '%s' is already used at %s (expected: unique %s)"),
    NOT_ONE_OF(14, "%s: '%s' (expected one of: %s)"),
    NOT_EXACTLY_ONE(15, "%s: %s (expected: exactly one of %s)"),
    INVALID_ADDRESS(16, "%s: '%s' (expected: an IP address or a host name)"),
    INVALID_CIDR(17, "%s: '%s' (expected: an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8)"),
    INVALID_TOKEN(18, "%s: '%s' (expected: %s)"),
    INVALID_REGEX(19, "%s: '%s' is not a valid regex: %s"),
    CONTROL_CHARACTER(20, "%s: contains a control character such as CR, LF or NUL (expected: one line of text)"),

    // Listeners.
    NO_LISTENER(30, "listeners: none (expected: at least one listener)"),
    LISTENER_CONFLICT(31, "listener '%s' binds %s port %d, already bound by listener '%s' (expected: another address or port)"),
    /** Retired: https listeners are supported since the TLS listener work; never emitted any more. */
    TLS_NOT_INSTALLED(32, "protocol: 'https' needs the TLS module, which is not installed yet (expected: http)"),
    PROXY_PROTOCOL_UNTRUSTED(33, "proxyProtocol: enabled with no trusted address (expected: the addresses of the "
            + "L4 balancers in front of Duet, e.g. 10.0.0.0/8)"),

    // Limits.
    LIMIT_ORDER(40, "maxHeaderBytes: %d is smaller than maxRequestLineBytes: %d (expected: maxHeaderBytes >= maxRequestLineBytes)"),

    // Virtual hosts.
    INVALID_HOSTNAME(50, "%s: '%s' (expected: %s)"),
    HOSTNAME_CLAIMED_TWICE(51, "hostname '%s' is claimed by virtual hosts '%s' and '%s' (expected: each hostname in one virtual host)"),
    TWO_DEFAULT_HOSTS(52, "defaultHost: virtual host '%s' is the default already (expected: at most one default host)"),
    HOST_UNREACHABLE(53, "virtual host '%s' has no hostname and is not the default (expected: hostnames, or defaultHost: true)"),
    NO_VIRTUAL_HOST(54, Severity.WARNING, "virtualHosts: none, so every request gets 404 (add a virtual host)"),
    NO_ROUTE(55, Severity.WARNING, "virtual host '%s' has no route, so its requests get 404 (add a route)"),

    // Routes.
    UNKNOWN_POOL(60, "pool: unknown pool '%s' (known: %s)"),
    PATH_NOT_ABSOLUTE(61, "%s: '%s' (expected: a path starting with /)"),
    INVALID_METHOD(62, "%s: '%s' (expected: an upper-case method token such as GET)"),
    INVALID_MEDIA_TYPE(63, "%s: '%s' (expected: type/subtype such as application/json, without parameters)"),
    PROTECTED_HEADER(64, "name: '%s' %s and cannot be the target of a header rule (remove the rule)"),
    NO_EFFECT(65, Severity.WARNING, "%s: has no effect on a %s route (remove it)"),
    UNREACHABLE_ROUTE(66, Severity.WARNING, "route '%s' is unreachable: route '%s' above matches every request it matches"),
    ONLY_OPTIONS_ASTERISK(67, Severity.WARNING, "route '%s' is unreachable except by 'OPTIONS *': route '%s' above "
            + "(path prefix /) matches every request with a path"),

    // Pools.
    POOL_NO_SERVER(70, "pool '%s' has no server (expected: at least one)"),
    POOL_ONLY_BACKUP(71, "pool '%s' has only backup servers (expected: at least one server with backup: false)"),
    UNUSED_POOL(72, Severity.WARNING, "pool '%s' is not used by any route"),

    // Balancing algorithms (0110-0129).
    HASH_KEY_REQUIRED(110, "pool '%s': balancer 'hash' needs hashKey (expected: hashKey: {source: uri, path, header, "
            + "cookie or query, name: the header, cookie or parameter name})"),
    HASH_KEY_IGNORED(111, Severity.WARNING, "hashKey: balancer '%s' reads no request key, so hashKey has no effect "
            + "(remove it, or use hash, lblc or lblcr)"),
    HASH_KEY_NAME_REQUIRED(112, "name: missing for source '%s' (expected: the %s name whose value is hashed)"),
    HASH_KEY_NAME_IGNORED(113, Severity.WARNING, "name: '%s' has no effect with source '%s' (remove it)"),
    WEIGHT_IGNORED(114, Severity.WARNING, "weight: %d has no effect with balancer '%s', which ignores weights "
            + "(use a weighted balancer such as %s, or remove the weight)"),
    // Session affinity.
    AFFINITY_KEY_MISSING(150, "signingKey: missing; mode 'cookie' signs its cookie with it (expected: base64 of at "
            + "least 32 random bytes, e.g. from: openssl rand -base64 32)"),
    AFFINITY_KEY_NOT_BASE64(151, "signingKey: not base64 (expected: base64 of at least 32 random bytes, e.g. from: "
            + "openssl rand -base64 32)"),
    AFFINITY_KEY_TOO_SHORT(152, "signingKey: %d bytes (expected: at least 32 random bytes, e.g. from: "
            + "openssl rand -base64 32)"),
    AFFINITY_SAME_SITE_NONE(153, "sameSite: 'None' without secure: true, and browsers drop such cookies "
            + "(expected: secure: true, or sameSite Lax or Strict)"),
    AFFINITY_IDLE_OVER_ABSOLUTE(154, Severity.WARNING, "idleTimeoutSeconds: %d is not below absoluteTimeoutSeconds: "
            + "%d, so the idle limit never applies (lower it or remove it)"),
    AFFINITY_KEY_UNUSED(155, Severity.WARNING, "signingKey: set, but mode '%s' signs nothing (remove it, or use "
            + "mode: cookie)"),
    AFFINITY_UNKNOWN_SERVER(156, "server: '%s' is not a server id of pool '%s' (known: %s)"),
    STICKY_FAIL_WITHOUT_AFFINITY(157, Severity.WARNING, "stickyServerDown: 'fail' has no effect: pool '%s' has no "
            + "affinity (remove it, or give the pool an affinity)"),
    AFFINITY_COOKIE_SHARED(158, Severity.WARNING, "cookie '%s' with path '%s' is also the affinity cookie of pool "
            + "'%s', so a client of both pools flips between servers (give each pool its own cookie name)"),
    AFFINITY_COOKIE_PREFIX(159, "name: '%s' has the %s prefix, which browsers accept only with %s (expected: "
            + "those attributes, or another name)"),

    // Health (checks, outlier detection, admin states, panic, fallback).
    INVALID_STATUS_SET(130, "%s: '%s' (expected: a status 100-599 or a range such as 200-399)"),
    FALLBACK_SELF(131, "fallback.pool: pool '%s' names itself (expected: another pool, or respond)"),
    INVALID_INSTANT(132, "%s: '%s' (expected: an ISO-8601 instant such as 2030-01-01T12:00:00Z)"),
    DRAIN_UNTIL_UNUSED(133, Severity.WARNING, "drainUntil: has no effect unless state is drain (remove it)"),
    CHECK_TIMEOUT_NOT_BELOW_INTERVAL(134, Severity.WARNING, "timeoutMs: %d is not below intervalMs: %d, so a hung "
            + "server delays its next check (expected: timeoutMs < intervalMs)"),
    CHECK_FIELD_UNUSED(135, Severity.WARNING, "%s: has no effect on a tcp health check (remove it)"),
    NO_SERVER_IN_SERVICE(136, Severity.WARNING, "pool '%s': every server is in drain or maintenance, so it takes no "
            + "new client (enable a server)"),
    FALLBACK_NOT_FOLLOWED(137, Severity.WARNING, "fallback.pool: pool '%s' has a fallback of its own, which is not "
            + "followed (point to the last pool directly)"),
    INVALID_CHECK_HOST(138, "%s: '%s' (expected: a host name or IP address, optionally with :port)"),
    EJECTION_ORDER(139, "maxEjectionMs: %d is smaller than baseEjectionMs: %d (expected: maxEjectionMs >= "
            + "baseEjectionMs)"),
    VERIFY_WITHOUT_HTTPS(140, Severity.WARNING, "verifyTls: has no effect without https: true (remove it)"),

    // TLS: certificates and https listeners (0170-0189).
    TLS_NO_CERTIFICATE(170, Severity.WARNING, "listener '%s' has no certificate: it serves this node's self-signed "
            + "certificate, which browsers warn about (expected: tls.certificates naming entries of the top-level "
            + "certificates list)"),
    UNKNOWN_CERTIFICATE(171, "%s: unknown certificate '%s' (known: %s)"),
    DEFAULT_CERTIFICATE_NOT_LISTED(172, "defaultCertificate: '%s' is not one of this listener's certificates "
            + "(expected one of: %s)"),
    TLS_ON_HTTP(173, Severity.WARNING, "tls: has no effect on an http listener (use protocol: https, or remove it)"),
    NOT_PEM_CERTIFICATE(174, "certificateChain: not a PEM certificate chain (expected: one or more -----BEGIN "
            + "CERTIFICATE----- blocks, the leaf first)"),
    NOT_PEM_KEY(175, "privateKey: neither a PEM private key nor a sealed key (expected: a -----BEGIN ... PRIVATE "
            + "KEY----- block: PKCS#8, encrypted PKCS#8, RSA (PKCS#1) or EC (SEC1); or duet-sealed:v1:...)"),
    HSTS_PRELOAD(176, "preload: needs includeSubDomains: true and maxAgeSeconds of at least 31536000 (expected: "
            + "both, or preload: false)"),
    UNUSED_CERTIFICATE(177, Severity.WARNING, "certificate '%s' is not used by any https listener"),
    KEY_NEEDS_PASSPHRASE(178, "privateKey: the key is encrypted and no passphrase is given (expected: passphrase, "
            + "used once: the node seals the key and drops the passphrase)"),
    CLIENT_CA_MISSING(180, "caBundle: %s (expected: the PEM CA certificates client certificates must chain to, "
            + "-----BEGIN CERTIFICATE----- blocks; or mode: none)"),
    REDIRECT_WITHOUT_HTTPS(181, Severity.WARNING, "httpsRedirect: no https listener in this document (expected: an "
            + "https listener, or Duet behind another TLS terminator on the redirect's port)"),
    BACKEND_CA_NOT_PEM(190, "caBundle: not PEM certificates (expected: -----BEGIN CERTIFICATE----- blocks of the CAs "
            + "the servers' certificates chain to, or no caBundle for the system's trust store)"),
    BACKEND_TLS_UNVERIFIED(191, Severity.WARNING, "pool '%s' accepts any server certificate (verify: false): "
            + "anyone on the path can read and change its traffic; use it for self-signed test servers only"),
    OPENSSL_ONE_CERTIFICATE(182, "engine: openssl serves exactly one certificate, this listener names %d (expected: "
            + "one certificate, or engine: jsse for SNI among several and the node's self-signed one)"),
    PKCS12_CONFLICT(179, "%s (expected: either pkcs12 with its passphrase, or certificateChain with privateKey)"),

    // Servers given by host name: pools[].resolve (0320-0329).
    RESOLVE_UNUSED(320, Severity.WARNING, "resolve: has no effect: every server of pool '%s' is an IP address "
            + "(remove it)"),
    RESOLVE_RESERVED_ID(321, "id: '%s' contains '#', which names the servers a host name expands to when "
            + "resolve.maxAddresses is above 1 (expected: an id without '#')"),
    RESOLVE_HOLD_BELOW_INTERVAL(322, Severity.WARNING, "holdOnFailureMs: %d is below intervalMs: %d; the hold is "
            + "checked at each lookup, so the second failed lookup drops the address (expected: holdOnFailureMs >= "
            + "intervalMs, or 0 to drop it at the first failure)"),

    // Admin users and API tokens (0200-0209).
    NO_ADMIN_USER(200, "users: nobody has the role admin (expected: at least one admin, or nobody could change users "
            + "and the configuration any more)"),
    NOT_ARGON2ID(201, "passwordHash: not an Argon2id hash (expected: $argon2id$v=19$m=..,t=..,p=..$salt$hash; set "
            + "passwords through the admin API, which hashes them)"),
    TOKEN_EXPIRY(331, "expires: not after created, or more than %d days after it (expected: every API token expires "
            + "within that; make a new token when it does)"),

    // Certificate material, checked before a commit (ProposalValidator with the appliance's CertificateCheck;
    // the findings themselves carry their DUET-TLS ids) (0300-0319).
    CERTIFICATE_CHECK_FAILED(300, "certificate '%s': its material could not be checked (%s), so nothing was "
            + "committed (a bug: report it with this message)"),
    SEALED_KEY_NOT_OPENED(301, Severity.WARNING, "privateKey: sealed, and this check holds no data key, so the key "
            + "was not opened (expected: duet config import, or the admin API, on a node of the cluster: they open "
            + "it before committing)"),

    // Access rules and address lists (0360-0379; AccessRules). A bad CIDR block is 0017, a duplicate list name 0013.
    UNKNOWN_ADDRESS_LIST(360, "%s: '%s' is neither an IP address, a CIDR block nor the name of an address list "
            + "(known: %s)"),
    EMPTY_ADDRESS_LIST(361, Severity.WARNING, "addresses: address list '%s' is empty, so it matches no client "
            + "(expected: at least one address or CIDR block)"),
    CIDR_HOST_BITS(362, Severity.WARNING, "%s: '%s' has host bits set; it is read as %s (expected: the network "
            + "address of the block)"),
    UNUSED_ADDRESS_LIST(363, Severity.WARNING, "addressLists: address list '%s' is used by no access rule and no "
            + "match.sources (expected: use it, or remove it)"),
    ACCESS_RULE_EMPTY(364, "access: neither allow nor deny has an entry (expected: at least one entry in allow "
            + "or deny)"),
    ACCESS_STATUS(365, "status: %d for action '%s' (expected: %s)"),
    ACCESS_LOCATION_MISSING(366, "location: missing for action 'redirect' (expected: where to send a refused "
            + "client, a URL or a path)"),
    ACCESS_ONLY_FOR(367, "%s: set for action '%s' (expected: only with action '%s'; leave it out)"),
    ADDRESS_LIST_NAME(368, "name: '%s' (expected: a letter, then letters, digits, '.', '_' or '-': a list name "
            + "never looks like an address)"),

    // The pair's failover timers (0340-0349).
    FAILOVER_FEW_HEARTBEATS(340, "leaseMs: %d is less than three heartbeats of %d ms (expected: leaseMs >= 3 x "
            + "heartbeatMs, so that one late heartbeat does not make a proxy drop its VIPs)"),
    FAILOVER_SHORT_LEASE(341, Severity.WARNING, "leaseMs: %d: a Raft election that takes longer than the lease "
            + "(a lost leader is noticed within 300-600 ms) makes the proxies drop their VIPs until it ends; "
            + "700 ms or more keeps them through one"),

    // Rate limits (0380-0399).
    RATE_LIMIT_UNKNOWN(380, "%s: unknown rate limit '%s' (known: %s)"),
    RATE_LIMIT_KEY_PART(381, "%s: '%s' (expected: client, route, header:NAME, cookie:NAME or query:NAME, where "
            + "NAME is a header name token, a cookie name or a query parameter name)"),
    RATE_LIMIT_KEY_TWICE(382, "%s: '%s' appears twice in the key (expected: each part once)"),
    RATE_LIMIT_ROUTE_ON_LISTENER(383, "%s: rate limit '%s' keys on the route, which is not known before routing "
            + "(expected: name it on routes only, or take route out of its key)"),
    RATE_LIMIT_NAMED_TWICE(384, "%s: rate limit '%s' is already named at %s (expected: each limit once per "
            + "listener or route)"),
    RATE_LIMIT_UNUSED(385, Severity.WARNING, "rate limit '%s' is not used by any listener or route"),
    RATE_LIMIT_DELAY_UNUSED(386, Severity.WARNING, "maxDelayMs: has no effect with action 'reject' (remove it, or "
            + "use action: delay)"),
    RATE_LIMIT_DELAY_WITHOUT_RATE(387, "action: 'delay' needs a rate (requests and per or windowMs): a request over "
            + "concurrent is never held (expected: action: reject, or a rate)"),

    // The access log (0350-0359).
    SYSLOG_ADDRESS(350, "address: '%s' (expected: udp://host:port such as udp://127.0.0.1:514 or "
            + "udp://[::1]:514, or unix:///path to a local datagram socket such as unix:///dev/log)"),

    // Error and maintenance pages (0420-0439).
    ERROR_PAGE_STATUS(420, "%s: %s (expected one of Duet's own answers: 400, 403, 404, 408, 413, 429, 502, 503, "
            + "504)"),
    ERROR_PAGE_DUPLICATE(421, "%s: %d already has a page at %s (expected: one page per status on a virtual host)"),
    PAGE_CONTENT_TYPE(422, "%s: '%s' (expected: a media type with optional parameters, such as "
            + "text/html; charset=utf-8)"),
    PAGE_BODY_TOO_LARGE(423, "%s: %d bytes in UTF-8 (expected: at most %d bytes)"),

    // Traffic control (issue 20): access rules 0360-0379, rate limits 0380-0399, error and maintenance pages
    // 0420-0439.
    /** Retired: refused traffic-control settings while they were being built; never emitted any more. */
    TRAFFIC_CONTROL_NOT_YET(419, "%s: not enforced by this release yet (expected: leave it out)"),

    // Config stores (log messages; not violations of a document).
    FILE_REJECTED(100, Severity.WARNING, "config file %s rejected, still running revision %d:"),
    FILE_UNREADABLE(101, Severity.WARNING, "config file %s cannot be read (%s), still running revision %d; fix the file"),
    FILE_WRITE_FAILED(102, "config file %s could not be written (%s); revision %d was not committed"),
    SUBSCRIBER_FAILED(103, "config subscriber %s failed on revision %d; the other subscribers still got it (a bug: "
            + "report it with this log)"),
    WATCH_STOPPED(104, "config file %s: the watch thread stopped, edits of the file are no longer picked up "
            + "(restart Duet; a bug: report it with this log)"),
    ORIGINAL_KEPT(330, Severity.WARNING, "config file %s was written by hand: before Duet rewrites it for revision %d "
            + "(comments and layout are not kept), your original is kept once as %s (0600; it may hold keys in "
            + "clear: delete it when you no longer need it)"),
    /** A proposal based on a revision that is no longer current ({@code RevisionConflictException}). */
    REVISION_CONFLICT(409, "revision conflict: the change was based on revision %d but the current revision is %d; "
            + "reload and apply the change again");

    /** How bad a message is. Mirrors {@link Violation.Severity}. */
    public enum Severity { ERROR, WARNING }

    private final String id;
    private final Severity severity;
    private final String template;

    ConfigMessage(int number, String template) {
        this(number, Severity.ERROR, template);
    }

    ConfigMessage(int number, Severity severity, String template) {
        this.id = String.format(Locale.ROOT, "DUET-CONFIG-%04d", number);
        this.severity = severity;
        this.template = template;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String template() {
        return template;
    }

    /** The message text for these arguments, without the id. */
    public String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }

    /** A violation at {@code path} with this message's id and severity. */
    public Violation at(String path, Object... args) {
        String message = format(args);
        return severity == Severity.ERROR ? Violation.error(path, id, message) : Violation.warning(path, id, message);
    }

    /** An error at {@code path} with this id and a message written by the caller. */
    Violation error(String path, String message) {
        return Violation.error(path, id, message);
    }
}
