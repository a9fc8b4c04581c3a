package io.duet.cluster.membership;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The join tokens a proxy node has issued, in {@code <data.dir>/cluster/tls/tokens.json} (0600): per token only the
 * SHA-256 of its secret, the node id it is for, its expiry and when it was used. {@code duet cluster init/token}
 * add tokens (the node may be running), the join endpoint redeems them; both take an exclusive file lock, so a
 * token is redeemed once even with two joins racing. Blocking file I/O: call it from worker threads.
 */
public final class JoinTokens {
    /** The default life of a token: long enough to walk to the other machines, short enough not to linger. */
    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** Used and expired tokens are kept this long for the log, then dropped from the file. */
    private static final Duration KEEP = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** File locks are per process: threads of one process (the endpoint's workers) take this first. */
    private static final Object IN_PROCESS = new Object();

    /** One issued token; times in epoch milliseconds. */
    record Entry(String id, String sha256, String node, long expires, Long used) {
    }

    /** The result of redeeming a secret. */
    public enum Outcome { OK, UNKNOWN, USED, EXPIRED, OTHER_NODE }

    /** What a redemption found: the outcome, and the token's id and node when it was known. */
    public record Redemption(Outcome outcome, String id, String node) {
    }

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final MemberSite.SecretFiles files;

    public JoinTokens(Path dir, Clock clock, MemberSite.SecretFiles files) {
        this.file = dir.resolve("tokens.json");
        this.lockFile = dir.resolve("tokens.lock");
        this.clock = clock;
        this.files = files;
    }

    /** Issues a token for {@code node}, valid for {@code ttl}. */
    public JoinToken issue(String node, Duration ttl, String endpoint, String pin) throws IOException {
        JoinToken t = JoinToken.create(endpoint, pin);
        long now = clock.millis();
        locked(entries -> {
            entries.add(new Entry(t.id(), hash(t.secret()), node, now + ttl.toMillis(), null));
            return null;
        });
        return t;
    }

    /** Redeems a secret for {@code node}: succeeds once per token, before its expiry, for the node it names. */
    public Redemption redeem(String secret, String node) throws IOException {
        return find(secret, node, true);
    }

    /** What {@link #redeem} would find, without using the token. */
    Redemption check(String secret, String node) throws IOException {
        return find(secret, node, false);
    }

    private Redemption find(String secret, String node, boolean use) throws IOException {
        String h = hash(secret);
        long now = clock.millis();
        return locked(entries -> {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (!MessageDigest.isEqual(e.sha256().getBytes(StandardCharsets.US_ASCII),
                        h.getBytes(StandardCharsets.US_ASCII))) {
                    continue;
                }
                if (e.used() != null) {
                    return new Redemption(Outcome.USED, e.id(), e.node());
                }
                if (now >= e.expires()) {
                    return new Redemption(Outcome.EXPIRED, e.id(), e.node());
                }
                if (!e.node().equals(node)) {
                    return new Redemption(Outcome.OTHER_NODE, e.id(), e.node());
                }
                if (use) {
                    entries.set(i, new Entry(e.id(), e.sha256(), e.node(), e.expires(), now));
                }
                return new Redemption(Outcome.OK, e.id(), e.node());
            }
            return new Redemption(Outcome.UNKNOWN, null, null);
        });
    }

    /** Tokens neither used nor expired, for `duet cluster token --list`. */
    List<Entry> open() throws IOException {
        long now = clock.millis();
        return locked(entries -> entries.stream().filter(e -> e.used() == null && e.expires() > now).toList());
    }

    private interface Change<T> {
        T apply(List<Entry> entries) throws IOException;
    }

    private <T> T locked(Change<T> change) throws IOException {
        synchronized (IN_PROCESS) { // a file lock excludes other processes; threads of this one wait here
            return fileLocked(change);
        }
    }

    private <T> T fileLocked(Change<T> change) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            List<Entry> entries = new ArrayList<>();
            if (Files.exists(file)) {
                entries.addAll(JSON.readValue(Files.readString(file, StandardCharsets.UTF_8),
                        new TypeReference<List<Entry>>() { }));
            }
            List<Entry> before = List.copyOf(entries);
            T result = change.apply(entries);
            long cutoff = clock.millis() - KEEP.toMillis();
            entries.removeIf(e -> e.expires() < cutoff);
            if (!entries.equals(before)) {
                files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries)
                        .getBytes(StandardCharsets.UTF_8));
            }
            return result;
        }
    }

    /** Hex SHA-256 of a secret. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expiry as an instant, for output. */
    static Instant instant(long epochMs) {
        return Instant.ofEpochMilli(epochMs);
    }
}
