package io.duet.proxy.forward;

import io.undertow.util.HttpString;

import java.nio.ByteBuffer;

/**
 * Builds a request head as bytes in a per-thread array, then copies it into a (direct) buffer in one bulk put.
 * Characters are written as ISO-8859-1 bytes, as Undertow decoded them. I/O threads; one builder per thread.
 */
final class HeadBuilder {
    private static final ThreadLocal<HeadBuilder> LOCAL = ThreadLocal.withInitial(HeadBuilder::new);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SP = {':', ' '};

    private byte[] bytes = new byte[4096];
    private int length;

    static HeadBuilder get() {
        HeadBuilder b = LOCAL.get();
        b.length = 0;
        return b;
    }

    int length() {
        return length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] grown = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
        }
    }

    HeadBuilder append(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
        length = at + n;
        return this;
    }

    HeadBuilder append(HttpString s) {
        int n = s.length();
        ensure(n);
        s.copyTo(0, bytes, length, n);
        length += n;
        return this;
    }

    HeadBuilder append(byte[] s) {
        ensure(s.length);
        System.arraycopy(s, 0, bytes, length, s.length);
        length += s.length;
        return this;
    }

    HeadBuilder append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    HeadBuilder append(long v) {
        return append(Long.toString(v));
    }

    HeadBuilder header(HttpString name, String value) {
        append(name).append(COLON_SP).append(value).append(CRLF);
        return this;
    }

    HeadBuilder crlf() {
        return append(CRLF);
    }

    /** True when the head fits in {@code buffer}'s remaining space. */
    boolean fits(ByteBuffer buffer) {
        return length <= buffer.remaining();
    }

    /** Copies the head into {@code buffer}; {@link #fits} must be true. */
    void copyTo(ByteBuffer buffer) {
        buffer.put(bytes, 0, length);
    }

    /** A copy of the head in a new heap buffer ready to read (heads larger than an I/O buffer; rare). */
    ByteBuffer toHeapBuffer() {
        return ByteBuffer.wrap(java.util.Arrays.copyOf(bytes, length));
    }
}
