package io.duet.config;

import java.util.Base64;

/** Reads an affinity signing key: base64 in the standard or the URL alphabet, padding optional. */
public final class AffinityKey {
    /** Shortest accepted key: 256 bits, the output size of HMAC-SHA256. */
    public static final int MIN_BYTES = 32;

    private AffinityKey() {
    }

    /** The key bytes, or {@code null} when the text is not base64. Pure; any thread. */
    public static byte[] decode(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().replace('-', '+').replace('_', '/');
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
