package io.duet.config;

import java.util.List;

/**
 * Session affinity of a pool: how a client, once sent to a server, keeps going to that server. The affinity decides
 * before the balancer; a client with no binding (or whose binding is no longer valid) gets the balancer's pick.
 *
 * @param mode       {@code cookie} (Duet inserts a signed cookie naming the server), {@code learn} (follow an
 *                   application cookie such as JSESSIONID), {@code source} (client address) or {@code header}
 *                   (a request header's value); required
 * @param signingKey base64 (standard or URL alphabet) of at least 32 random bytes; signs the insert cookie so
 *                   clients cannot choose a server. Required for mode {@code cookie}, never derived. Given in clear
 *                   once: the node that commits it replaces it with the sealed form ({@code duet-sealed:v1:...}
 *                   under the data key every proxy of the cluster holds), and no API shows it
 * @param cookie     insert-cookie options (mode {@code cookie})
 * @param learn      learned-cookie options (mode {@code learn})
 * @param source     source-address persistence options (mode {@code source})
 * @param header     header persistence options (mode {@code header})
 */
public record Affinity(String mode, String signingKey, Cookie cookie, Learn learn, Source source, Header header) {
    public static final String COOKIE = "cookie";
    public static final String LEARN = "learn";
    public static final String SOURCE = "source";
    public static final String HEADER = "header";
    public static final List<String> MODES = List.of(COOKIE, LEARN, SOURCE, HEADER);
    /** Bindings a table keeps by default (source, header, learn). */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Idle lifetime of a table binding by default: 30 minutes, a common session timeout. */
    public static final long DEFAULT_TIMEOUT_MS = 30L * 60 * 1000;

    public Affinity {
        cookie = cookie == null ? new Cookie(null, null, null, null, null, null, null, null, null) : cookie;
        learn = learn == null ? new Learn(null, null, null, null, null) : learn;
        source = source == null ? new Source(null, null) : source;
        header = header == null ? new Header(null, null, null) : header;
    }

    /** The same affinity with another signing key (its sealed form, or a new key). */
    public Affinity withSigningKey(String key) {
        return new Affinity(mode, key, cookie, learn, source, header);
    }

    @Override
    public String toString() {
        // Never print the signing key (logs, exception messages).
        return "Affinity[mode=" + mode + ", signingKey=" + (signingKey == null ? null : "(hidden)") + ", cookie="
                + cookie + ", learn=" + learn + ", source=" + source + ", header=" + header + "]";
    }

    /**
     * The cookie Duet inserts (mode {@code cookie}). Its value names the server by its id, carries the issue time, the
     * last-seen time and a client nonce, and is signed (HMAC-SHA256, truncated to 128 bits).
     *
     * @param name                   cookie name (default {@code DUET_SERVER})
     * @param maxAgeSeconds          {@code Max-Age}; absent: a session cookie (gone when the browser closes)
     * @param idleTimeoutSeconds     a cookie not seen for this long is ignored (fresh pick); absent: no idle limit.
     *                               The last-seen stamp is refreshed when a quarter of this has passed, not on every
     *                               response
     * @param absoluteTimeoutSeconds a cookie issued longer ago is ignored (fresh pick); absent: no limit
     * @param secure                 {@code Secure} (default false; set it when clients reach Duet over HTTPS)
     * @param httpOnly               {@code HttpOnly} (default true)
     * @param sameSite               {@code Strict}, {@code Lax} (default) or {@code None} (needs {@code secure})
     * @param path                   {@code Path} (default {@code /})
     * @param domain                 {@code Domain}; absent: the request's host only
     */
    public record Cookie(String name, Long maxAgeSeconds, Long idleTimeoutSeconds, Long absoluteTimeoutSeconds,
                         Boolean secure, Boolean httpOnly, String sameSite, String path, String domain) {
        public static final String DEFAULT_NAME = "DUET_SERVER";
        public static final List<String> SAME_SITE = List.of("Strict", "Lax", "None");

        public Cookie {
            name = name == null ? DEFAULT_NAME : name;
            secure = secure != null && secure;
            httpOnly = httpOnly == null || httpOnly;
            sameSite = sameSite == null ? "Lax" : sameSite;
            path = path == null ? "/" : path;
        }
    }

    /**
     * Follow an application cookie to the server that issued it (mode {@code learn}). Two forms: the
     * {@code .jvmRoute} suffix ({@code JSESSIONID=abc.node1}, where {@code node1} is a server id or a route listed in
     * {@code jvmRoutes}) needs no table; any other value is learned from the server's {@code Set-Cookie} and kept in a
     * bounded table with an idle timeout.
     *
     * @param name       application cookie (default {@code JSESSIONID})
     * @param jvmRoute   read the route after the last '.' of the value (default true)
     * @param jvmRoutes  route names that differ from server ids
     * @param timeoutMs  idle lifetime of a learned value (default 30 minutes)
     * @param maxEntries learned values kept (default 100000)
     */
    public record Learn(String name, Boolean jvmRoute, List<JvmRoute> jvmRoutes, Long timeoutMs, Integer maxEntries) {
        public static final String DEFAULT_NAME = "JSESSIONID";

        public Learn {
            name = name == null ? DEFAULT_NAME : name;
            jvmRoute = jvmRoute == null || jvmRoute;
            jvmRoutes = Lists.copy(jvmRoutes);
            timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
            maxEntries = maxEntries == null ? DEFAULT_MAX_ENTRIES : maxEntries;
        }
    }

    /**
     * A route name a Java server appends to its session ids ({@code jvmRoute} in Tomcat, {@code instance-id} in
     * WildFly) and the server it names.
     *
     * @param route  the suffix after the last '.'
     * @param server a server id of the pool
     */
    public record JvmRoute(String route, String server) {
    }

    /**
     * Source-address persistence (mode {@code source}): the client address (after trusted PROXY protocol) stays on
     * its server while it keeps coming.
     *
     * @param timeoutMs  idle lifetime of a binding (default 30 minutes)
     * @param maxEntries bindings kept (default 100000)
     */
    public record Source(Long timeoutMs, Integer maxEntries) {
        public Source {
            timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
            maxEntries = maxEntries == null ? DEFAULT_MAX_ENTRIES : maxEntries;
        }
    }

    /**
     * Header persistence (mode {@code header}): requests with the same value of a header stay on one server; requests
     * without the header get the balancer's pick.
     *
     * @param name       header name, required for mode {@code header}
     * @param timeoutMs  idle lifetime of a binding (default 30 minutes)
     * @param maxEntries bindings kept (default 100000)
     */
    public record Header(String name, Long timeoutMs, Integer maxEntries) {
        public Header {
            timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
            maxEntries = maxEntries == null ? DEFAULT_MAX_ENTRIES : maxEntries;
        }
    }
}
