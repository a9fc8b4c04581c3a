package io.duet.proxy.balance;

/**
 * The one hash of the balancers, fixed forever because both nodes of a pair (and every version of Duet) must
 * compute the same answer from the same document: FNV-1a 64 over the UTF-8 bytes of the input, finished with
 * MurmurHash3's 64-bit finaliser ({@code fmix64}) so that nearby inputs spread over the whole range.
 *
 * <p>Written here rather than taken from a library: it is part of the contract between nodes, so it must never
 * change with a dependency upgrade, and it is a dozen lines. Pure, allocation-free; any thread.
 */
final class Hash64 {
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;
    /** The 64-bit golden ratio, the step of the sequence of virtual-node points of one server. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hash64() {
    }

    /** The hash of the UTF-8 encoding of {@code s} (encoded on the fly, without allocating). */
    static long of(CharSequence s) {
        long h = FNV_OFFSET;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = step(h, c);
            } else if (c < 0x800) {
                h = step(step(h, 0xC0 | (c >> 6)), 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = step(step(step(step(h, 0xF0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3F)),
                        0x80 | ((cp >> 6) & 0x3F)), 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                h = step(h, '?'); // a lone surrogate, encoded as String.getBytes(UTF_8) encodes it
            } else {
                h = step(step(step(h, 0xE0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
            }
        }
        return mix(h);
    }

    /** The hash of these bytes. */
    static long of(byte[] bytes) {
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h = step(h, b & 0xFF);
        }
        return mix(h);
    }

    private static long step(long h, int octet) {
        return (h ^ octet) * FNV_PRIME;
    }

    /** MurmurHash3 fmix64. */
    static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }
}
