package io.duet.proxy.message;

/**
 * Every log-line and exception id the proxy module writes, with its one meaning: the data plane's own lines
 * ({@code DUET-PROXY}), the edge's rejections and HTTP/2 rules ({@code DUET-EDGE}) and health
 * ({@code DUET-HEALTH}). The ids of the error responses sent to clients, one per status, are
 * {@code io.duet.proxy.response.ErrorId}. Each id leads one row of proxy/ERRORS.md (MessageIdsTest checks both ways);
 * an id never changes meaning. {@link #toString()} is the id, so log lines are written
 * {@code LOG.info("{} ...", REVISION_APPLIED, ...)} and exception messages {@code LISTENER_BIND_FAILED + " ..."}.
 * Immutable; depends on nothing, so every package of the proxy may use it.
 */
public enum ProxyMessage {
    // The data plane's own log lines and start/apply failures (DUET-PROXY), proxy/ERRORS.md.
    WORKER_START_FAILED("DUET-PROXY-0001", "the I/O worker could not start (the node does not start)"),
    LISTENER_ACCEPTING("DUET-PROXY-0002",
            "a listener accepts connections (its address, and TLS profile and h2 when it has them)"),
    LISTENER_CLOSED("DUET-PROXY-0003", "a listener was closed: it is no longer in the configuration"),
    STOPPED("DUET-PROXY-0005", "the data plane stopped"),
    LISTENER_REBIND_FAILED("DUET-PROXY-0006",
            "a listener could not be rebound with its new settings; it keeps its previous ones"),
    REVISION_APPLIED("DUET-PROXY-0100", "a configuration revision was applied (and the one it replaced)"),
    LISTENER_BIND_FAILED("DUET-PROXY-0101",
            "a listener cannot bind its address (port in use, an address not on this machine)"),
    SERVER_CONNECTIONS_CLOSED("DUET-PROXY-0102", "connections to a server that left the configuration are closed"),
    INVALID_RESPONSE_HEAD("DUET-PROXY-0110",
            "a server sent a response head Duet refuses: the client gets 502 and the connection is closed"),
    CONNECT_FAILED("DUET-PROXY-0111",
            "a connect to a server failed (refused, reset, timeout); counted in `duet_server_connect_errors_total`"),
    SERVER_CLOSED_EARLY("DUET-PROXY-0112", "a server closed the connection before answering"),
    MALFORMED_CHUNKED_RESPONSE("DUET-PROXY-0113",
            "a server sent a malformed chunked body: the client's response is cut (connection closed), never "
            + "completed"),
    CERTIFICATE_UNLOADABLE("DUET-PROXY-0130",
            "a certificate of an https listener does not load (with the DUET-TLS reason): the revision is rejected"),
    CERTIFICATE_EXPIRING("DUET-PROXY-0131",
            "a served certificate expires within 30, 14 or 7 days (once per threshold; checked at apply and hourly)"),
    NO_JDK_TLS("DUET-PROXY-0132", "the JDK offers no TLS implementation (a broken JDK install)"),
    CLIENT_CA_UNLOADABLE("DUET-PROXY-0133",
            "a listener's `clientAuth.caBundle` does not load: the revision is rejected"),
    SERVER_HANDSHAKE_FAILED("DUET-PROXY-0140",
            "a TLS handshake with a server failed: a failed connect (retried elsewhere when allowed, 502 otherwise)"),
    POOL_TLS_UNVERIFIED("DUET-PROXY-0141", "a pool accepts any server certificate (`tls.verify: false`)"),
    POOL_CA_UNLOADABLE("DUET-PROXY-0142", "a pool's `tls.caBundle` does not load: the revision is rejected"),
    SELF_SIGNED_ISSUED("DUET-PROXY-0150",
            "no node certificate was passed to the data plane (tools, tests): a self-signed one was issued in memory"),
    CERTIFICATE_EXPIRED("DUET-PROXY-0151",
            "a served certificate has expired: clients refuse it (logged once; upload a renewed certificate)"),
    OPENSSL_UNAVAILABLE("DUET-PROXY-0160",
            "`engine: openssl` but the OpenSSL library cannot be loaded (libssl missing, wrong path): the "
            + "revision is rejected"),
    OPENSSL_KEY_REFUSED("DUET-PROXY-0161",
            "`engine: openssl`: libssl refused the listener's certificate or key (a key type other than RSA or EC, "
            + "or material it cannot read): the revision is rejected"),
    ACCESS_LOG_OPEN_FAILED("DUET-PROXY-0901",
            "the access log cannot be opened; records are dropped (and counted) until it can"),
    ACCESS_LOG_WRITE_FAILED("DUET-PROXY-0902",
            "the access log cannot be written; records are dropped (and counted) until it can"),
    ACCESS_LOG_REOPENED("DUET-PROXY-0903",
            "the access log file was moved or replaced (log rotation): it is opened again"),
    ACCESS_LOG_WRITABLE("DUET-PROXY-0904", "the access log is writable again"),
    METRICS_RENDER_FAILED("DUET-PROXY-0951", "`/metrics` could not be rendered; the management listener answered 500"),
    HISTORY_SERIES_CAPPED("DUET-PROXY-0952",
            "the metrics history keeps as many series as it may: further routes and servers get no history"),
    HISTORY_SAMPLE_FAILED("DUET-PROXY-0953",
            "a sample of the metrics history failed (a bug): that interval is missing; sampling goes on"),
    ADDRESS_CHANGED("DUET-PROXY-0960",
            "a server's name now resolves to another address; connections to the old one drain"),
    ADDRESS_FOUND("DUET-PROXY-0961",
            "a server got an address after having none (first lookup, the name has an address for it again)"),
    ADDRESS_LEFT("DUET-PROXY-0962",
            "an address left the name's answer: its server (`api#2`) is out of service, its connections drain"),
    LOOKUP_FAILED("DUET-PROXY-0963", "a lookup failed: the last good address is kept until the hold time ends"),
    RESOLVES_AGAIN("DUET-PROXY-0964", "the name resolves again after failed lookups"),
    ADDRESS_DROPPED("DUET-PROXY-0965",
            "lookups failed for the whole hold time: the address is dropped and the server is out of service "
            + "until a lookup succeeds"),
    NEVER_RESOLVED("DUET-PROXY-0966",
            "a name that never resolved (a new server, a typo): the server is out of service until it does"),
    ADDRESSES_OVER_MAX("DUET-PROXY-0967",
            "the name has more addresses than `maxAddresses`: the rest are not used (logged when their number "
            + "changes)"),
    JDK_CACHES_ANSWERS("DUET-PROXY-0968", "the JDK caches name lookups itself: changes are seen that much later"),
    RESOLVE_BUG("DUET-PROXY-0969",
            "a lookup or a listener of an address change failed unexpectedly (a bug); counted as a failed lookup"),

    // The edge's rejections and HTTP/2 rules (DUET-EDGE), proxy/ERRORS.md.
    EDGE_CONNECTION_REJECTED("DUET-EDGE-0001",
            "internal: the I/O error a rejected connection reports to Undertow, after the answer went out"),
    EDGE_MALFORMED("DUET-EDGE-0400", "malformed request (bad characters, obs-fold, unsupported HTTP version)"),
    EDGE_BAD_FRAMING("DUET-EDGE-0401",
            "ambiguous or invalid framing (Content-Length with Transfer-Encoding, bad lengths, a malformed "
            + "chunked body)"),
    EDGE_BAD_HOST("DUET-EDGE-0402",
            "missing, duplicate or malformed Host, or an absolute-form target that differs from Host"),
    EDGE_BAD_PATH("DUET-EDGE-0403",
            "path cannot be canonicalised (`%2F`, `%5C`, `\\`, NUL, above the root, bad escapes)"),
    EDGE_UNTRUSTED_PROXY_HEADER("DUET-EDGE-0404",
            "pROXY protocol header from a peer that is not in `proxyProtocol.trustedAddresses`"),
    EDGE_TIMEOUT("DUET-EDGE-0408",
            "header block not complete within `headerTimeoutMs`, or a body paused or slower than the minimum rate"),
    EDGE_BODY_TOO_LARGE("DUET-EDGE-0413", "request body over the listener's or the route's limit"),
    EDGE_REQUEST_LINE_TOO_LONG("DUET-EDGE-0414", "request line over `maxRequestLineBytes`"),
    EDGE_HEADERS_TOO_LARGE("DUET-EDGE-0431", "header block over `maxHeaderBytes` or more than `maxHeaderCount` fields"),
    EDGE_H2_RAPID_RESET("DUET-EDGE-0420",
            "an HTTP/2 connection had too many streams reset or refused (rapid reset): closed with "
            + "GOAWAY(ENHANCE_YOUR_CALM)"),
    EDGE_H2_STREAMS_CANCELLED("DUET-EDGE-0421",
            "this Undertow build hides the HTTP/2 stream id: streams over the limit are cancelled, not refused"),
    EDGE_H2_STREAMS_COUNTED_BY_EXCHANGE("DUET-EDGE-0422",
            "this Undertow build hides its count of open HTTP/2 streams: the limit counts running exchanges, which end "
            + "a little after their stream (a client opening its next stream at once may be refused)"),
    EDGE_H2_MALFORMED("DUET-EDGE-0440",
            "a malformed HTTP/2 request (RFC 9113 section 8): the stream is reset before anything of it reaches a"
            + " server"),
    EDGE_H2_RULES_OUT_OF_REACH("DUET-EDGE-0441",
            "this Undertow build hides what the HTTP/2 rules reach by reflection: some malformed requests end the"
            + " connection"),
    EDGE_H2_FRAME_RULE("DUET-EDGE-0442",
            "an HTTP/2 frame rule Undertow does not enforce was broken: GOAWAY or RST_STREAM"),
    EDGE_UNSUPPORTED_CODING("DUET-EDGE-0501", "unsupported transfer coding"),

    // Health checks and outlier detection (DUET-HEALTH), proxy/ERRORS.md.
    HEALTH_UP("DUET-HEALTH-0001", "a server is UP (checks passed `rise` times, ejection over, enabled again)"),
    HEALTH_DOWN("DUET-HEALTH-0002", "a server is DOWN: `fall` checks failed in a row"),
    HEALTH_EJECTED("DUET-HEALTH-0003",
            "a server is EJECTED by passive outlier detection (consecutive 5xx or connect failures)"),
    HEALTH_DRAINING("DUET-HEALTH-0004", "a server is DRAINING (`state: drain`)"),
    HEALTH_MAINTENANCE("DUET-HEALTH-0005", "a server is in MAINTENANCE"),
    HEALTH_NOT_EJECTED("DUET-HEALTH-0006",
            "a failing server is not ejected because `maxEjectionPercent` of the pool is ejected already"),
    HEALTH_DRAIN_DEADLINE("DUET-HEALTH-0007", "a drain deadline passed: sticky clients now go to other servers"),
    HEALTH_PANIC("DUET-HEALTH-0008",
            "a pool entered panic: fewer servers available than its threshold; it balances over all of them"),
    HEALTH_PANIC_OVER("DUET-HEALTH-0009", "a pool left panic"),
    HEALTH_NO_SERVER("DUET-HEALTH-0010",
            "no server of a pool is available: fallback pool, fallback page, panic or 503"),
    HEALTH_CHECK_BUG("DUET-HEALTH-0011", "a check failed with an unexpected error (a bug), or the JVM has no TLS");

    private final String id;
    private final String meaning;

    ProxyMessage(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The stable id, e.g. {@code DUET-PROXY-0100}. */
    public String id() {
        return id;
    }

    /** What the id means, one line: the meaning cell of its Markdown row (shortened where that is long). */
    public String meaning() {
        return meaning;
    }

    /** The id, so that a log line or a message starts with it: {@code LOG.info("{} ...", REVISION_APPLIED, ...)}. */
    @Override
    public String toString() {
        return id;
    }
}
