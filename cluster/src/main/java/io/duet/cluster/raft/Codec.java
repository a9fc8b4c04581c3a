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
    static final byte REPLY_OK = 10;
    static final byte REPLY_STALE = 11;
    static final byte SNAPSHOT_V1 = 20;

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

    record Entry(long leaderTime, Proposal proposal) {
    }

    static Entry entry(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long time = in.readLong();
            byte type = in.readByte();
            if (type != PROPOSE) {
                throw new IOException("unknown entry type " + type);
            }
            long base = in.readLong();
            String author = in.readUTF();
            String summary = in.readUTF();
            byte[] doc = new byte[in.readInt()];
            in.readFully(doc);
            return new Entry(time, new Proposal(base, doc, author, summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
