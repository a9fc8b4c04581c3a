package io.duet.config;

import java.util.Base64;

/**
 * Reads an affinity signing key: base64 in the standard or the URL alphabet, padding optional; or, at rest, sealed
 * under the node's data key ({@value #SEALED_PREFIX}...; the data plane opens it with the tls module's KeyVault).
 */
public final class AffinityKey {
    /** Shortest accepted key: 256 bits, the output size of HMAC-SHA256. */
    public static final int MIN_BYTES = 32;
    /** The sealed form's prefix (the tls module's {@code KeyVault.PREFIX}). */
    public static final String SEALED_PREFIX = "duet-sealed:v1:";

    /** True for a key in the sealed form (as opposed to base64 in clear). */
    public static boolean isSealed(String text) {
        return text != null && text.startsWith(SEALED_PREFIX);
    }

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
