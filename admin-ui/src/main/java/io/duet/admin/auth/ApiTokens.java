package io.duet.admin.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.message.AdminMessage;
import io.duet.config.ApiToken;
import io.duet.config.store.PrivateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API tokens for automation: made with a random secret that is shown once (the document keeps only its SHA-256), an
 * expiry ({@value ApiToken#DEFAULT_DAYS} days unless asked otherwise, at most {@value ApiToken#MAX_DAYS}), found by
 * the secret a caller presents, and listed without secrets, with expiry and last use.
 *
 * <p>Last use is kept per node, not in the replicated document (a use must never commit a revision): in memory, and
 * in {@code useFile} (0600) written at most once a minute and when the listener closes, so it survives a restart. A
 * list shows this node's figure; a token used only through the other node of a pair shows that node's there.
 *
 * <p>Thread-safe; {@link #used} may write the small file on the caller's (worker) thread.
 */
public final class ApiTokens implements AutoCloseable {
    static final long WRITE_EVERY_MS = 60_000;
    private static final int MAX_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path useFile;
    private final Clock clock;
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private long writtenMs; // guarded by writeLock
    private boolean dirty; // guarded by writeLock

    /** @param useFile where this node keeps the last uses (null: memory only) */
    public ApiTokens(Path useFile, Clock clock) {
        this.useFile = useFile;
        this.clock = clock;
        load();
    }

    /** A token just made: the entry for the document and the secret to show once. */
    public record Made(ApiToken token, String secret) {
    }

    /**
     * A new token for {@code owner}.
     *
     * @param expiresInDays null for {@value ApiToken#DEFAULT_DAYS}
     * @throws IllegalArgumentException {@code expiresInDays} is not 1-{@value ApiToken#MAX_DAYS}
     */
    public Made make(String name, String role, String owner, Integer expiresInDays) {
        int days = expiresInDays == null ? ApiToken.DEFAULT_DAYS : expiresInDays;
        if (days < 1 || days > ApiToken.MAX_DAYS) {
            throw new IllegalArgumentException("expiresInDays: " + days + " (expected: 1-" + ApiToken.MAX_DAYS + ")");
        }
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = "duet_" + id + "_" + Sessions.token();
        long now = clock.millis();
        return new Made(new ApiToken(id, name, role, sha256(secret), now, owner, now + days * ApiToken.DAY_MS),
                secret);
    }

    /** The token whose secret {@code presented} is (compared in constant time), or null. Expired ones included. */
    public static ApiToken find(List<ApiToken> tokens, String presented) {
        byte[] h = sha256(presented).getBytes(StandardCharsets.US_ASCII);
        ApiToken found = null;
        for (ApiToken t : tokens) {
            if (t != null && t.sha256() != null
                    && MessageDigest.isEqual(t.sha256().getBytes(StandardCharsets.US_ASCII), h)) {
                found = t;
            }
        }
        return found;
    }

    /** True when the token no longer works. */
    public boolean expired(ApiToken t) {
        return t.expiredAt(clock.millis());
    }

    /** Records a use of the token now (this node). */
    public void used(ApiToken t) {
        long now = clock.millis();
        lastUsed.put(t.id(), now);
        boolean write;
        synchronized (writeLock) {
            dirty = true;
            write = now - writtenMs >= WRITE_EVERY_MS;
        }
        if (write) {
            write();
        }
    }

    /** This node's last use of the token, epoch ms, or null when it was not used here. */
    Long lastUsed(String id) {
        return lastUsed.get(id);
    }

    /** The tokens as the API lists them: never the secret or its hash. */
    public ArrayNode list(List<ApiToken> tokens) {
        ArrayNode out = JSON.createArrayNode();
        long now = clock.millis();
        for (ApiToken t : tokens) {
            if (t == null) {
                continue;
            }
            ObjectNode o = out.addObject().put("id", t.id()).put("name", t.name()).put("role", t.role())
                    .put("owner", t.owner());
            o.put("created", t.created() == null ? 0 : t.created());
            o.put("expires", t.expiresAt());
            o.put("expired", t.expiredAt(now));
            Long used = lastUsed(t.id());
            if (used == null) {
                o.putNull("lastUsed");
            } else {
                o.put("lastUsed", used);
            }
        }
        return out;
    }

    /** Writes the last uses if any changed since the last write. */
    @Override
    public void close() {
        boolean write;
        synchronized (writeLock) {
            write = dirty;
        }
        if (write) {
            write();
        }
    }

    private void write() {
        if (useFile == null) {
            return;
        }
        synchronized (writeLock) {
            try {
                if (lastUsed.size() > MAX_REMEMBERED) {
                    long oldest = lastUsed.values().stream().sorted().skip(lastUsed.size() - MAX_REMEMBERED)
                            .findFirst().orElse(0L);
                    lastUsed.values().removeIf(v -> v < oldest);
                }
                PrivateFile.write(useFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                        new java.util.TreeMap<>(lastUsed)));
                writtenMs = clock.millis();
                dirty = false;
            } catch (IOException e) {
                LOG.warn("{} the last uses of API tokens could not be written to {} ({}); they are kept "
                        + "in memory and written again with the next use", AdminMessage.TOKEN_USE_UNWRITABLE.id(),
                        useFile, e.toString());
                writtenMs = clock.millis();
            }
        }
    }

    private void load() {
        if (useFile == null || !Files.isRegularFile(useFile)) {
            return;
        }
        try {
            JSON.readTree(Files.readAllBytes(useFile)).fields().forEachRemaining(e -> {
                if (e.getValue().canConvertToLong()) {
                    lastUsed.put(e.getKey(), e.getValue().asLong());
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} the last uses of API tokens in {} do not read ({}); starting without them",
                    AdminMessage.TOKEN_USE_UNWRITABLE.id(), useFile, e.toString());
        }
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
