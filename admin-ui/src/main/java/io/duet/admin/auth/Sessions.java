package io.duet.admin.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login sessions of this node's admin listener, in memory: a random 256-bit id in the {@code __Host-} cookie, a CSRF
 * token per session, idle and absolute timeouts. A session remembers a fingerprint of its user's password hash and
 * role as they were at login: when either changes in the replicated document (password changed, role changed, user
 * deleted, on any node), the session is dead on every node. Thread-safe.
 */
public final class Sessions {
    public static final String COOKIE = "__Host-duet-session";
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session. {@code lastSeenMs} moves with every request. */
    public static final class Session {
        final String id;
        final String user;
        final String csrf;
        final String fingerprint;
        final long createdMs;
        volatile long lastSeenMs;

        Session(String id, String user, String csrf, String fingerprint, long createdMs) {
            this.id = id;
            this.user = user;
            this.csrf = csrf;
            this.fingerprint = fingerprint;
            this.createdMs = createdMs;
            this.lastSeenMs = createdMs;
        }

        /** The session's id (the cookie's value). */
        public String id() {
            return id;
        }

        public String user() {
            return user;
        }

        public String csrf() {
            return csrf;
        }
    }

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session (a login renews the id: a fixed id cannot be planted). */
    public Session create(String user, String fingerprint) {
        purge();
        Session s = new Session(token(), user, token(), fingerprint, clock.millis());
        byId.put(s.id, s);
        return s;
    }

    /**
     * The live session with this id whose user still has {@code currentFingerprint}, touching it; null otherwise
     * (and an expired or outdated one is removed).
     */
    public Session find(String id, java.util.function.Function<String, String> currentFingerprint) {
        if (id == null) {
            return null;
        }
        Session s = byId.get(id);
        if (s == null) {
            return null;
        }
        long now = clock.millis();
        if (now - s.lastSeenMs > IDLE.toMillis() || now - s.createdMs > ABSOLUTE.toMillis()
                || !MessageDigest.isEqual(s.fingerprint.getBytes(), String.valueOf(
                currentFingerprint.apply(s.user)).getBytes())) {
            byId.remove(id);
            return null;
        }
        s.lastSeenMs = now;
        return s;
    }

    public void remove(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Live sessions (for status). */
    public int size() {
        purge();
        return byId.size();
    }

    private void purge() {
        long now = clock.millis();
        byId.values().removeIf(s -> now - s.lastSeenMs > IDLE.toMillis() || now - s.createdMs > ABSOLUTE.toMillis());
    }

    /** What a session is bound to: the user's role and password hash, hashed. */
    public static String fingerprint(String role, String passwordHash) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    (role + "\n" + passwordHash).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
