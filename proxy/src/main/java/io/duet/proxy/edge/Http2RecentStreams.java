package io.duet.proxy.edge;

import java.util.Arrays;

/**
 * The ids of the last {@value #KEPT} HTTP/2 streams of one connection that something happened to (the client ended
 * or reset them; the server reset them), so a frame arriving for one of them later can be told from a frame for a
 * stream never seen. Older ones are forgotten (what arrives for them is left to Undertow's own handling). A small ring
 * searched linearly: it is asked only for DATA frames of streams Undertow no longer knows or that ended.
 *
 * <p>Memory: every HTTP/2 connection has two of these, and most of them hold a handful of ids (an idle keep-alive
 * connection that made one request, one). The ring therefore starts empty and doubles from {@value #FIRST} ids up
 * to {@value #KEPT} as ids arrive, instead of 528 bytes per ring from the start.
 *
 * <p>Thread-safety: any thread (the server may reset a stream from the thread reading its body).
 */
final class Http2RecentStreams {
    static final int KEPT = 128;
    /** The ring's first size; it grows by doubling up to {@link #KEPT}. */
    static final int FIRST = 4;
    private static final int[] NONE = new int[0];
    private int[] ids = NONE;
    /** Where the next id goes, in [0, KEPT). */
    private int next;
    /** Ids held, at most {@link #KEPT}. */
    private int count;

    /** Remembers {@code stream} (stream 0, the connection, never). */
    synchronized void add(int stream) {
        if (stream == 0 || contains(stream)) {
            return;
        }
        if (next == ids.length && ids.length < KEPT) {
            ids = Arrays.copyOf(ids, Math.min(KEPT, Math.max(FIRST, ids.length * 2)));
        }
        ids[next] = stream;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
    }

    /** Whether {@code stream} is among the last {@value #KEPT} remembered. */
    synchronized boolean contains(int stream) {
        for (int k = count - 1; k >= 0; k--) {
            if (ids[k] == stream) {
                return true;
            }
        }
        return false;
    }

    /** The ring's current size in ids (memory held: 16 + 4 per id bytes), for tests. */
    synchronized int capacity() {
        return ids.length;
    }
}
