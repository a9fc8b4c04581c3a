package io.duet.cluster.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The bytes of log entries, replies and snapshots. Versioned by a leading byte; pure. */
final class Codec {
    static final byte PROPOSE = 1;
    static final byte HEARTBEAT = 2;
    static final byte HANDOFF = 3;
    static final byte AUDIT = 4;
    static final byte ENDED = 5;
    /** The length of a process's end secret (bytes). */
    static final int END_SECRET_BYTES = 32;
    /** Snapshots since the audit trail: this magic number, then length-prefixed parts. */
    static final int SNAPSHOT_V2_MAGIC = 0x44554132; // "DUA2"
    /** The largest audit record a member accepts (bytes); the admin layer stays well below it. */
    static final int MAX_AUDIT_RECORD = 16 * 1024;
    static final byte REPLY_OK = 10;
    static final byte REPLY_STALE = 11;
    static final byte SNAPSHOT_V1 = 20;
    static final byte STATUS_QUERY = 30;

    private Codec() {
    }

    record Proposal(long baseRevision, byte[] document, String author, String summary) {
    }

    static byte[] proposal(long base, byte[] document, String author, String summary) {
        return write(out -> {
            out.writeByte(PROPOSE);
            out.writeLong(base);
            out.writeUTF(author);
            out.writeUTF(summary);
            out.writeInt(document.length);
            out.write(document);
        });
    }

    /** The leader's time first, then the client's proposal (what the leader puts in the log). */
    static byte[] stamped(long leaderTime, byte[] proposal) {
        return write(out -> {
            out.writeLong(leaderTime);
            out.write(proposal);
        });
    }

    /**
     * A node's heartbeat: it is alive and holds these VIPs. {@code lifetime} is a random number drawn once per start
     * of the sending process and {@code sentNanos} its monotonic clock when it sent the beat: only the process that
     * sent a beat may renew its lease from it, measured from the send time (a restarted node replaying its old
     * heartbeats from the log must not think it is alive).
     */
    record Beat(String node, java.util.Set<String> held, long appliedIndex, long lifetime, long sentNanos,
                long leaseMs, long marginMs, java.util.Set<String> leaving, String mac) {
        Beat(String node, java.util.Set<String> held, long appliedIndex, long lifetime, long sentNanos,
             long leaseMs, long marginMs) {
            this(node, held, appliedIndex, lifetime, sentNanos, leaseMs, marginMs, java.util.Set.of(), "");
        }
    }

    /**
     * The lease and margin a heartbeat without them was sent under: members of releases before the timers were
     * settings obeyed 1.1 s + 0.4 s.
     */
    static final long LEGACY_LEASE_MS = 1100;
    static final long LEGACY_MARGIN_MS = 400;

    /** A planned handoff: the node gives its VIPs away (drain true) or takes part again (false). */
    record Handoff(String node, boolean drain) {
    }

    static byte[] heartbeat(String node, java.util.Set<String> held, long appliedIndex, long lifetime,
                            long sentNanos, long leaseMs, long marginMs) {
        return heartbeat(node, held, appliedIndex, lifetime, sentNanos, leaseMs, marginMs, java.util.Set.of(), "");
    }

    static byte[] heartbeat(String node, java.util.Set<String> held, long appliedIndex, long lifetime,
                            long sentNanos, long leaseMs, long marginMs, java.util.Set<String> leaving, String mac) {
        return write(out -> {
            out.writeByte(HEARTBEAT);
            out.writeUTF(node);
            out.writeLong(appliedIndex);
            out.writeInt(held.size());
            for (String h : new java.util.TreeSet<>(held)) {
                out.writeUTF(h);
            }
            out.writeLong(lifetime);
            out.writeLong(sentNanos);
            // Appended: a reader that predates them stops before (it ignores trailing bytes).
            out.writeLong(leaseMs);
            out.writeLong(marginMs);
            // Appended again: the VIPs handed over and the sender's hardware address.
            out.writeInt(leaving.size());
            for (String h : new java.util.TreeSet<>(leaving)) {
                out.writeUTF(h);
            }
            out.writeUTF(mac == null ? "" : mac);
        });
    }

    static byte[] handoff(String node, boolean drain) {
        return write(out -> {
            out.writeByte(HANDOFF);
            out.writeUTF(node);
            out.writeBoolean(drain);
        });
    }

    /**
     * A node's process has ended and its VIPs are gone, as its guardian reported (VipGuardian): {@code secret} is that
     * process's end secret, which proves it (its heartbeats' lifetime number is {@code Heartbeat.lifetimeOf(secret)}).
     */
    record Ended(String node, byte[] secret) {
    }

    static byte[] ended(String node, byte[] secret) {
        if (secret.length != END_SECRET_BYTES) {
            throw new IllegalArgumentException("an end secret has " + END_SECRET_BYTES + " bytes");
        }
        return write(out -> {
            out.writeByte(ENDED);
            out.writeUTF(node);
            out.write(secret);
        });
    }

    static byte[] audit(byte[] record) {
        if (record.length > MAX_AUDIT_RECORD) {
            throw new IllegalArgumentException("an audit record is at most " + MAX_AUDIT_RECORD + " bytes");
        }
        return write(out -> {
            out.writeByte(AUDIT);
            out.writeInt(record.length);
            out.write(record);
        });
    }

    /** One log entry: the leader's time and exactly one of proposal, beat, handoff, audit record, end. */
    record Entry(long leaderTime, Proposal proposal, Beat beat, Handoff handoff, byte[] audit, Ended ended) {
        Entry(long leaderTime, Proposal proposal, Beat beat, Handoff handoff) {
            this(leaderTime, proposal, beat, handoff, null, null);
        }
    }

    static Entry entry(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long time = in.readLong();
            byte type = in.readByte();
            switch (type) {
                case PROPOSE -> {
                    long base = in.readLong();
                    String author = in.readUTF();
                    String summary = in.readUTF();
                    byte[] doc = new byte[in.readInt()];
                    in.readFully(doc);
                    return new Entry(time, new Proposal(base, doc, author, summary), null, null);
                }
                case HEARTBEAT -> {
                    String node = in.readUTF();
                    long applied = in.readLong();
                    int n = in.readInt();
                    java.util.Set<String> held = new java.util.TreeSet<>();
                    for (int i = 0; i < n; i++) {
                        held.add(in.readUTF());
                    }
                    long lifetime = in.readLong();
                    long sent = in.readLong();
                    long lease = LEGACY_LEASE_MS;
                    long margin = LEGACY_MARGIN_MS;
                    if (in.available() >= 16) {
                        lease = in.readLong();
                        margin = in.readLong();
                    }
                    java.util.Set<String> leaving = new java.util.TreeSet<>();
                    String mac = "";
                    if (in.available() >= 4) {
                        for (int i = in.readInt(); i > 0; i--) {
                            leaving.add(in.readUTF());
                        }
                        mac = in.readUTF();
                    }
                    return new Entry(time, null, new Beat(node, held, applied, lifetime, sent, lease, margin,
                            leaving, mac), null);
                }
                case HANDOFF -> {
                    return new Entry(time, null, null, new Handoff(in.readUTF(), in.readBoolean()));
                }
                case AUDIT -> {
                    int n = in.readInt();
                    if (n < 0 || n > MAX_AUDIT_RECORD) {
                        throw new IOException("audit record of " + n + " bytes");
                    }
                    byte[] record = new byte[n];
                    in.readFully(record);
                    return new Entry(time, null, null, null, record, null);
                }
                case ENDED -> {
                    String node = in.readUTF();
                    byte[] secret = new byte[END_SECRET_BYTES];
                    in.readFully(secret);
                    return new Entry(time, null, null, null, null, new Ended(node, secret));
                }
                default -> throw new IOException("unknown entry type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The VIP part of a snapshot: heartbeats and the ownership table (members replaying from it must agree). */
    static byte[] vipState(java.util.Map<String, io.duet.cluster.vip.Heartbeat> beats,
                           io.duet.cluster.vip.Ownership table) {
        return write(out -> {
            out.writeInt(beats.size());
            for (var e : new java.util.TreeMap<>(beats).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().time());
                out.writeLong(e.getValue().appliedIndex());
                out.writeLong(e.getValue().lifetime());
                out.writeLong(e.getValue().index());
                out.writeBoolean(e.getValue().ready());
                out.writeInt(e.getValue().held().size());
                for (String h : new java.util.TreeSet<>(e.getValue().held())) {
                    out.writeUTF(h);
                }
            }
            out.writeInt(table.owners().size());
            for (var e : table.owners().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(table.aliveSince().size());
            for (var e : table.aliveSince().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(table.drained().size());
            for (String d : new java.util.TreeSet<>(table.drained())) {
                out.writeUTF(d);
            }
            out.writeInt(table.releases().size());
            for (var e : table.releases().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue().node());
                out.writeLong(e.getValue().index());
            }
            for (java.util.Map<String, Long> m : List.of(table.assigned(), table.stuck())) {
                out.writeInt(m.size());
                for (var e : m.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue());
                }
            }
            // The timers each heartbeat was sent under (appended: absent in older snapshots).
            out.writeInt(beats.size());
            for (var e : new java.util.TreeMap<>(beats).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().leaseMs());
                out.writeLong(e.getValue().marginMs());
            }
            // Appended again: the VIPs each heartbeat hands over and its sender's hardware address; the handovers.
            out.writeInt(beats.size());
            for (var e : new java.util.TreeMap<>(beats).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().leaving().size());
                for (String l : new java.util.TreeSet<>(e.getValue().leaving())) {
                    out.writeUTF(l);
                }
                out.writeUTF(e.getValue().mac());
            }
            out.writeInt(table.handovers().size());
            for (var e : table.handovers().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        });
    }

    record VipState(java.util.Map<String, io.duet.cluster.vip.Heartbeat> beats, io.duet.cluster.vip.Ownership table) {
    }

    static VipState vipState(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            java.util.Map<String, io.duet.cluster.vip.Heartbeat> beats = new java.util.TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String node = in.readUTF();
                long t = in.readLong();
                long applied = in.readLong();
                long lifetime = in.readLong();
                long index = in.readLong();
                boolean ready = in.readBoolean();
                java.util.Set<String> held = new java.util.TreeSet<>();
                for (int j = in.readInt(); j > 0; j--) {
                    held.add(in.readUTF());
                }
                beats.put(node, new io.duet.cluster.vip.Heartbeat(t, held, applied, lifetime, index, ready));
            }
            java.util.Map<String, String> owners = new java.util.TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                owners.put(in.readUTF(), in.readUTF());
            }
            java.util.Map<String, Long> since = new java.util.TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                since.put(in.readUTF(), in.readLong());
            }
            java.util.Set<String> drained = new java.util.TreeSet<>();
            for (int i = in.readInt(); i > 0; i--) {
                drained.add(in.readUTF());
            }
            java.util.Map<String, io.duet.cluster.vip.Ownership.Release> releases = new java.util.TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                releases.put(in.readUTF(), new io.duet.cluster.vip.Ownership.Release(in.readUTF(), in.readLong()));
            }
            // Claim bookkeeping: absent in snapshots written before it existed.
            List<java.util.Map<String, Long>> claims = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                java.util.Map<String, Long> m = new java.util.TreeMap<>();
                if (in.available() > 0) {
                    for (int i = in.readInt(); i > 0; i--) {
                        m.put(in.readUTF(), in.readLong());
                    }
                }
                claims.add(m);
            }
            java.util.Map<String, long[]> timers = new java.util.TreeMap<>();
            if (in.available() > 0) {
                for (int i = in.readInt(); i > 0; i--) {
                    timers.put(in.readUTF(), new long[] {in.readLong(), in.readLong()});
                }
            }
            java.util.Map<String, java.util.Set<String>> leaving = new java.util.TreeMap<>();
            java.util.Map<String, String> macs = new java.util.TreeMap<>();
            java.util.Map<String, String> handovers = new java.util.TreeMap<>();
            if (in.available() > 0) {
                for (int i = in.readInt(); i > 0; i--) {
                    String node = in.readUTF();
                    java.util.Set<String> l = new java.util.TreeSet<>();
                    for (int j = in.readInt(); j > 0; j--) {
                        l.add(in.readUTF());
                    }
                    leaving.put(node, l);
                    macs.put(node, in.readUTF());
                }
                for (int i = in.readInt(); i > 0; i--) {
                    handovers.put(in.readUTF(), in.readUTF());
                }
            }
            for (var e : beats.entrySet()) {
                io.duet.cluster.vip.Heartbeat b = e.getValue();
                long[] t = timers.getOrDefault(e.getKey(), new long[] {LEGACY_LEASE_MS, LEGACY_MARGIN_MS});
                e.setValue(new io.duet.cluster.vip.Heartbeat(b.time(), b.held(), b.appliedIndex(), b.lifetime(),
                        b.index(), b.ready(), t[0], t[1], leaving.getOrDefault(e.getKey(), java.util.Set.of()),
                        macs.getOrDefault(e.getKey(), "")));
            }
            return new VipState(beats, new io.duet.cluster.vip.Ownership(owners, since, drained, releases,
                    claims.get(0), claims.get(1), handovers));
        }
    }

    /** One replicated audit record: the leader's time, the log index and the admin layer's bytes. */
    record AuditRecord(long time, long index, byte[] data) {
    }

    static byte[] auditTrail(java.util.Collection<AuditRecord> records) {
        return write(out -> {
            out.writeInt(records.size());
            for (AuditRecord r : records) {
                out.writeLong(r.time());
                out.writeLong(r.index());
                out.writeInt(r.data().length);
                out.write(r.data());
            }
        });
    }

    static List<AuditRecord> auditTrail(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            List<AuditRecord> out = new ArrayList<>(Math.min(n, 100_000));
            for (int i = 0; i < n; i++) {
                long time = in.readLong();
                long index = in.readLong();
                int len = in.readInt();
                if (len < 0 || len > MAX_AUDIT_RECORD) {
                    throw new IOException("audit record of " + len + " bytes in the snapshot");
                }
                byte[] data = new byte[len];
                in.readFully(data);
                out.add(new AuditRecord(time, index, data));
            }
            return out;
        }
    }

    /** Snapshot parts: revisions, VIP state, audit trail (each length-prefixed after the magic number). */
    record Snapshot(byte[] revisions, byte[] vip, byte[] audit) {
    }

    static byte[] snapshot(byte[] revisions, byte[] vip, byte[] audit) {
        return write(out -> {
            out.writeInt(SNAPSHOT_V2_MAGIC);
            for (byte[] part : List.of(revisions, vip, audit)) {
                out.writeInt(part.length);
                out.write(part);
            }
        });
    }

    /** Reads either snapshot layout: V2 (magic, three parts) or V1 (revisions length, revisions, VIP state). */
    static Snapshot snapshot(byte[] all) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all);
        int first = b.getInt();
        if (first != SNAPSHOT_V2_MAGIC) {
            byte[] revs = new byte[first];
            b.get(revs);
            byte[] vip = new byte[b.remaining()];
            b.get(vip);
            return new Snapshot(revs, vip, auditTrail(List.of()));
        }
        byte[][] parts = new byte[3][];
        for (int i = 0; i < 3; i++) {
            parts[i] = new byte[b.getInt()];
            b.get(parts[i]);
        }
        return new Snapshot(parts[0], parts[1], parts[2]);
    }

    static byte[] reply(boolean ok, long revision) {
        return write(out -> {
            out.writeByte(ok ? REPLY_OK : REPLY_STALE);
            out.writeLong(revision);
        });
    }

    record Reply(boolean ok, long revision) {
    }

    static Reply reply(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte t = in.readByte();
            return new Reply(t == REPLY_OK, in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Current first, then older revisions, newest first. */
    static byte[] revisions(List<Revision> revisions) {
        return write(out -> {
            out.writeByte(SNAPSHOT_V1);
            out.writeInt(revisions.size());
            for (Revision r : revisions) {
                out.writeLong(r.revision());
                out.writeUTF(r.author());
                out.writeLong(r.time());
                out.writeUTF(r.summary());
                out.writeInt(r.document().length);
                out.write(r.document());
            }
        });
    }

    static List<Revision> revisions(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != SNAPSHOT_V1) {
                throw new IOException("not a Duet revisions file");
            }
            int n = in.readInt();
            List<Revision> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long rev = in.readLong();
                String author = in.readUTF();
                long time = in.readLong();
                String summary = in.readUTF();
                byte[] doc = new byte[in.readInt()];
                in.readFully(doc);
                out.add(new Revision(rev, doc, author, time, summary));
            }
            return out;
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
