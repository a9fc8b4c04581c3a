package io.duet.proxy.accesslog;

import java.io.Writer;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer that encodes text as UTF-8 as it is appended: the writer thread formats records
 * straight into it and hands its bytes to the output in one piece, with no String, Writer or CharsetEncoder per line.
 *
 * <p>Encoding matches the JDK's UTF-8 encoder with its default replacement: a surrogate pair becomes its four-byte
 * sequence, a lone surrogate becomes {@code ?}. A high surrogate at the end of one append waits for the next
 * character (so a pair split across appends is still one code point). Not thread-safe: writer thread only.
 */
final class LineBuffer {
    private byte[] bytes;
    private int length;
    private char pendingHigh;
    private Writer writer;

    LineBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** The bytes written so far are {@code array()[0, length())}. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Forgets everything written, keeping the storage. */
    void clear() {
        length = 0;
        pendingHigh = 0;
    }

    /** Cuts the content back to {@code newLength} bytes (a mark taken from {@link #length()}). */
    void truncate(int newLength) {
        length = newLength;
        pendingHigh = 0;
    }

    /** Appends ASCII text (every char below 0x80; callers pass literals). */
    LineBuffer ascii(String s) {
        endPending();
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends one ASCII character. */
    LineBuffer ascii(char c) {
        endPending();
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends a decimal number. */
    LineBuffer number(long v) {
        endPending();
        if (v == Long.MIN_VALUE) {
            return ascii(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    /** Appends a decimal number left-padded with zeros to {@code width} digits (non-negative values). */
    LineBuffer padded(long v, int width) {
        endPending();
        ensure(Math.max(width, 20));
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            bytes[length++] = '0';
        }
        return number(v);
    }

    /** Appends text, encoded as UTF-8. */
    LineBuffer text(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80 && pendingHigh == 0) {
                if (length == bytes.length) {
                    ensure(n - i);
                }
                bytes[length++] = (byte) c;
            } else {
                character(c);
            }
        }
        return this;
    }

    /** Appends bytes as they are. */
    LineBuffer bytes(byte[] b, int off, int len) {
        endPending();
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends one UTF-16 char, encoded as UTF-8 (see the class comment for surrogates). */
    void character(char c) {
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(high, c);
                ensure(4);
                bytes[length++] = (byte) (0xF0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (cp & 0x3F));
                return;
            }
            ensure(1);
            bytes[length++] = '?';
        }
        ensure(3);
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            bytes[length++] = '?';
        } else {
            bytes[length++] = (byte) (0xE0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    /** A {@link Writer} that appends to this buffer (for Jackson); flush and close do nothing. */
    Writer writer() {
        if (writer == null) {
            writer = new Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) {
                    ensure(len);
                    for (int i = off, end = off + len; i < end; i++) {
                        character(cbuf[i]);
                    }
                }

                @Override
                public void write(String str, int off, int len) {
                    ensure(len);
                    for (int i = off, end = off + len; i < end; i++) {
                        character(str.charAt(i));
                    }
                }

                @Override
                public void write(int c) {
                    character((char) c);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
        }
        return writer;
    }

    /** A lone high surrogate that no low one followed becomes {@code ?}. */
    private void endPending() {
        if (pendingHigh != 0) {
            pendingHigh = 0;
            ensure(1);
            bytes[length++] = '?';
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
