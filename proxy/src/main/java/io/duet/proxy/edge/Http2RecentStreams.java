package io.duet.proxy.edge;

/**
 * The ids of the last {@value #KEPT} HTTP/2 streams of one connection that something happened to (the client ended
 * or reset them; the server reset them), so a frame arriving for one of them later can be told from a frame for a
 * stream never seen. Older ones are forgotten (what arrives for them is left to Undertow's own handling). A small ring
 * searched linearly: it is asked only for DATA frames of streams Undertow no longer knows or that ended.
 *
 * <p>Thread-safety: any thread (the server may reset a stream from the thread reading its body).
 */
final class Http2RecentStreams {
    static final int KEPT = 128;
    private final int[] ids = new int[KEPT];
    private int count;

    /** Remembers {@code stream} (stream 0, the connection, never). */
    synchronized void add(int stream) {
        if (stream != 0 && !contains(stream)) {
            ids[count++ % KEPT] = stream;
        }
    }

    /** Whether {@code stream} is among the last {@value #KEPT} remembered. */
    synchronized boolean contains(int stream) {
        for (int k = Math.min(count, KEPT) - 1; k >= 0; k--) {
            if (ids[k] == stream) {
                return true;
            }
        }
        return false;
    }
}
