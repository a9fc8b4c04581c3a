package io.duet.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The audit trail of the admin listener: every login, failed login, denied call and committed change, with who,
 * when, from where, the revision and a summary. Appended as JSON lines to {@code <data.dir>/audit.log} (0600) and
 * kept in memory (the last {@value #KEEP}) for {@code GET /api/v1/audit}; each line is also logged
 * ({@code DUET-ADMIN-0001}). Committed changes are also in the replicated history (author, time, summary) on every
 * node. Thread-safe.
 */
public final class AuditLog {
    static final int KEEP = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** One record. {@code outcome}: ok, failed, denied. */
    public record Entry(long timeMs, String node, String user, String address, String action, String outcome,
                        Long revision, String detail) {
    }

    private final Path file;
    private final String node;
    private final Clock clock;
    private final Deque<Entry> recent = new ArrayDeque<>();

    public AuditLog(Path file, String node, Clock clock) {
        this.file = file;
        this.node = node;
        this.clock = clock;
    }

    public void record(String user, String address, String action, String outcome, Long revision, String detail) {
        Entry e = new Entry(clock.millis(), node, user, address, action, outcome, revision, detail);
        synchronized (recent) {
            recent.addFirst(e);
            while (recent.size() > KEEP) {
                recent.removeLast();
            }
        }
        LOG.info("DUET-ADMIN-0001 audit: {} {} by {} from {}{}{}", action, outcome, user == null ? "-" : user, address,
                revision == null ? "" : " revision " + revision, detail == null ? "" : " (" + detail + ")");
        if (file == null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                            "rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX
                }
            }
            synchronized (this) {
                Files.writeString(file, JSON.writeValueAsString(e) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException ex) {
            LOG.warn("DUET-ADMIN-0002 cannot append to the audit log {}: {}", file, ex.toString());
        }
    }

    /** The most recent records, newest first. */
    public List<Entry> recent(int max) {
        synchronized (recent) {
            return recent.stream().limit(max).toList();
        }
    }
}
