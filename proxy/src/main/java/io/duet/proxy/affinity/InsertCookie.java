package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Mode {@code cookie}: Duet sets a signed cookie naming the server by its id. A cookie that is tampered with, expired
 * (idle or absolute lifetime) or names a server the pool no longer has is ignored: the client gets a fresh pick and a
 * new cookie. The cookie is written when the client is newly bound (or moved) and when its last-seen stamp is older
 * than a quarter of the idle lifetime; not on every response.
 *
 * <p>Sticky clients: each cookie carries a random nonce kept across refreshes, and the nonces seen within the idle
 * lifetime (30 minutes without one) are kept in a bounded table. The count is an estimate: a client that left is
 * counted until that window passes, and a full table forgets some.
 */
final class InsertCookie implements Stickiness {
    /** How long a cookie counts as a recent client when the cookie has no idle lifetime. */
    static final long RECENT_WINDOW_MS = 30L * 60 * 1000;

    private final String name;
    private final Long idleSec;
    private final Long absoluteSec;
    private final long refreshAfterSec;
    private final String attributes;
    private final CookieSeal seal;
    private final StickyTable recent;

    InsertCookie(Affinity.Cookie spec, CookieSeal seal, StickyTable recent) {
        this.name = spec.name();
        this.idleSec = spec.idleTimeoutSeconds();
        this.absoluteSec = spec.absoluteTimeoutSeconds();
        this.refreshAfterSec = idleSec == null ? Long.MAX_VALUE : Math.max(1, idleSec / 4);
        this.attributes = attributes(spec);
        this.seal = seal;
        this.recent = recent;
    }

    static long recentWindowMs(Affinity.Cookie spec) {
        return spec.idleTimeoutSeconds() == null ? RECENT_WINDOW_MS : spec.idleTimeoutSeconds() * 1000;
    }

    /** The attributes after the value, in a fixed order: Path, Domain, Max-Age, Secure, HttpOnly, SameSite. */
    static String attributes(Affinity.Cookie spec) {
        StringBuilder b = new StringBuilder("; Path=").append(spec.path());
        if (spec.domain() != null) {
            b.append("; Domain=").append(spec.domain());
        }
        if (spec.maxAgeSeconds() != null) {
            b.append("; Max-Age=").append(spec.maxAgeSeconds());
        }
        if (spec.secure()) {
            b.append("; Secure");
        }
        if (spec.httpOnly()) {
            b.append("; HttpOnly");
        }
        return b.append("; SameSite=").append(spec.sameSite()).toString();
    }

    @Override
    public void read(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        CookieStamp s = seal.open(Cookies.requestValue(exchange.getRequestHeaders(), name));
        if (s == null) {
            return;
        }
        long now = nowMs / 1000;
        // A stamp from the future (clock skew between the nodes of a pair) counts as age 0.
        if ((idleSec != null && now - s.seenSec() > idleSec) || (absoluteSec != null && now - s.issuedSec() > absoluteSec)) {
            return;
        }
        r.stamp = s;
        r.boundId = s.serverId();
    }

    @Override
    public void write(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        long now = nowMs / 1000;
        String server = r.served.id();
        CookieStamp s = r.stamp;
        CookieStamp next;
        if (s == null || !s.serverId().equals(server)) {
            long nonce = s != null ? s.nonce() : ThreadLocalRandom.current().nextLong();
            next = new CookieStamp(server, now, now, nonce);
        } else if (now - s.seenSec() >= refreshAfterSec) {
            next = new CookieStamp(server, s.issuedSec(), now, s.nonce());
        } else {
            next = null;
        }
        if (next != null) {
            exchange.getResponseHeaders().add(Headers.SET_COOKIE, name + '=' + seal.seal(next) + attributes);
        }
        recent.bind(Long.toUnsignedString((next != null ? next : s).nonce(), 36), server, nowMs);
    }

    @Override
    public Map<String, Integer> stickyClients(long nowMs) {
        return recent.countByServer(nowMs);
    }
}
