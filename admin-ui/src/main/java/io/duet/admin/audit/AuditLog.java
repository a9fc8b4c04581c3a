package io.duet.admin.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.message.AdminMessage;
import io.duet.config.store.ConfigStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The audit trail of the admin listener: every login, failed login, denied call and committed change, with who,
 * when, from where, the revision and a summary.
 *
 * <p>Every record is appended as a JSON line to this node's {@code <data.dir>/audit.log} (0600) and logged
 * ({@code DUET-ADMIN-0001}). When the configuration store replicates (a cluster member), each record is also
 * committed to the trail kept with the configuration, so every node can show every node's records: a background
 * thread sends them in order, retries while there is no quorum (the record stays in the local file and shows as
 * {@code pending}), and sends at most {@value #RATE_PER_SECOND} per second (burst {@value #BURST}) so that a flood of
 * failed logins cannot flood the Raft log; records over that rate stay in the local file only and a summary record
 * says how many ({@code DUET-ADMIN-0004}). Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    static final int KEEP = 1000;
    static final int RATE_PER_SECOND = 20;
    static final int BURST = 200;
    static final int MAX_DETAIL = 2000;
    private static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One record. {@code outcome}: ok, failed, denied, throttled. {@code pending}: true while a record of this node
     * is not yet committed to the replicated trail (null otherwise). {@code change}: the type of the change a
     * commit made (e.g. {@code SetServerState}), null for other records and for records written before it existed.
     */
    public record Entry(String id, long timeMs, String node, String user, String address, String action,
                        String outcome, Long revision, String detail, Boolean pending, String change) {
        Entry asPending() {
            return new Entry(id, timeMs, node, user, address, action, outcome, revision, detail, Boolean.TRUE,
                    change);
        }
    }

    private final Path file;
    private final String node;
    private final Clock clock;
    private final ConfigStore store; // null or not replicating: local only
    private final Deque<Entry> recent = new ArrayDeque<>();
    /** Records of this node not yet committed to the replicated trail, by id, oldest first. */
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final BlockingDeque<Entry> outbox = new LinkedBlockingDeque<>(QUEUE);
    private final Thread sender;
    private volatile boolean closed;
    // Token bucket of the sender thread (only that thread touches these).
    private double tokens = BURST;
    private long refilledNanos = System.nanoTime();
    private long overRate;

    public AuditLog(Path file, String node, Clock clock) {
        this(file, node, clock, null);
    }

    /**
     * @param store the configuration store; when it {@link ConfigStore#replicatesAudit replicates}, records are also
     *              committed to its trail
     */
    public AuditLog(Path file, String node, Clock clock, ConfigStore store) {
        this.file = file;
        this.node = node;
        this.clock = clock;
        this.store = store != null && store.replicatesAudit() ? store : null;
        if (this.store != null) {
            sender = new Thread(this::send, "duet-audit-replicate");
            sender.setDaemon(true);
            sender.start();
        } else {
            sender = null;
        }
    }

    public void record(String user, String address, String action, String outcome, Long revision, String detail) {
        record(user, address, action, outcome, revision, detail, null);
    }

    /** A record of a commit that made a typed change: {@code change} is its type name. */
    public void record(String user, String address, String action, String outcome, Long revision, String detail,
                       String change) {
        String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        Entry e = new Entry(HexFormat.of().formatHex(id), clock.millis(), node, user, address, action, outcome,
                revision, d, null, change);
        synchronized (recent) {
            recent.addFirst(e);
            while (recent.size() > KEEP) {
                recent.removeLast();
            }
        }
        LOG.info("{} audit: {} {} by {} from {}{}{}", AdminMessage.AUDIT_RECORD.id(), action, outcome,
                user == null ? "-" : user, address, revision == null ? "" : " revision " + revision,
                d == null ? "" : " (" + d + ")");
        appendToFile(e);
        if (store != null) {
            synchronized (pending) {
                pending.put(e.id(), e.asPending());
            }
            if (!outbox.offerLast(e)) {
                synchronized (pending) {
                    pending.remove(e.id());
                }
                LOG.warn("{} audit record {} kept in {} only: the replication queue is full",
                        AdminMessage.AUDIT_QUEUE_FULL.id(), e.id(), file);
            }
        }
    }

    private void appendToFile(Entry e) {
        if (file == null) {
            return;
        }
        try {
            synchronized (this) {
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    Files.createFile(file);
                    try {
                        Files.setPosixFilePermissions(file,
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException ignored) {
                        // not POSIX
                    }
                }
                Files.writeString(file, JSON.writeValueAsString(e) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException ex) {
            LOG.warn("{} cannot append to the audit log {}: {}", AdminMessage.AUDIT_FILE_UNWRITABLE.id(), file,
                    ex.toString());
        }
    }

    /** The sender thread: commits records in order; waits and retries while the cluster has no quorum. */
    private void send() {
        long backoffMs = 500;
        while (!closed) {
            Entry e;
            try {
                e = outbox.takeFirst();
            } catch (InterruptedException ex) {
                return;
            }
            if (!takeToken()) {
                overRate++;
                synchronized (pending) {
                    pending.remove(e.id());
                }
                continue;
            }
            if (overRate > 0 && outbox.isEmpty()) {
                long n = overRate;
                overRate = 0;
                LOG.warn("{} {} audit records over {}/s kept in {} on node {} only", AdminMessage.AUDIT_OVER_RATE.id(),
                        n, RATE_PER_SECOND, file, node);
                Entry summary = new Entry(e.id() + "s", clock.millis(), node, null, null, "audit", "throttled", null,
                        n + " records over " + RATE_PER_SECOND + "/s kept in the audit file of node " + node
                                + " only", null, null);
                appendToFile(summary);
                outbox.offerFirst(e);
                e = summary;
            }
            try {
                store.appendAudit(JSON.writeValueAsBytes(e)).get(10, TimeUnit.SECONDS);
                synchronized (pending) {
                    // committed; shown from here until this member has applied it (then recent() drops it)
                    if (pending.containsKey(e.id())) {
                        pending.put(e.id(), e);
                    }
                }
                backoffMs = 500;
            } catch (InterruptedException ex) {
                return;
            } catch (Exception ex) {
                outbox.offerFirst(e);
                LOG.debug("{} audit record {} not replicated yet ({}); retrying in {} ms",
                        AdminMessage.AUDIT_NOT_REPLICATED_YET.id(), e.id(), ex.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs); // retry pacing of a background thread while the cluster has no quorum
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    private boolean takeToken() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - refilledNanos) / 1e9 * RATE_PER_SECOND);
        refilledNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * The most recent records, newest first: on a cluster member, the replicated trail (every node's records) with
     * this node's records not yet committed marked {@code pending}; standalone, this node's records.
     */
    public List<Entry> recent(int max) {
        if (store == null) {
            synchronized (recent) {
                return recent.stream().limit(max).toList();
            }
        }
        List<Entry> out = new ArrayList<>();
        for (byte[] b : store.auditTrail(max)) {
            try {
                out.add(JSON.readValue(b, Entry.class));
            } catch (IOException ex) {
                LOG.debug("an audit record does not decode: {}", ex.toString());
            }
        }
        java.util.Set<String> replicated = new java.util.HashSet<>();
        out.forEach(e -> replicated.add(e.id()));
        long stale = clock.millis() - 60_000;
        synchronized (pending) {
            var it = pending.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.pending() == null && (replicated.contains(e.id()) || e.timeMs() < stale)) {
                    it.remove(); // committed and applied here (or long since committed)
                } else if (!replicated.contains(e.id())) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparingLong(Entry::timeMs).reversed());
        return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
    }

    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            sender.interrupt();
        }
    }
}
