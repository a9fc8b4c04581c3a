package io.duet.proxy.affinity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Signs and checks insert-cookie values. A value is
 * {@code base64url(serverId) "." issued "." seen "." nonce "." tag}, the numbers in base 36, the tag the first
 * 128 bits of HMAC-SHA256 over a context string, the pool name and everything before the tag, in base64url.
 * Binding the pool name means a cookie of one pool cannot steer another pool that has a server of the same id.
 *
 * <p>Every node that has the same document computes the same tags, so a cookie issued by one node of a pair is
 * honoured by the other with no shared state. Thread-safe: one {@link Mac} per thread; never blocks.
 */
final class CookieSeal {
    static final int TAG_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] context;
    private final ThreadLocal<Mac> macs;

    CookieSeal(byte[] key, String pool) {
        SecretKeySpec spec = new SecretKeySpec(key.clone(), ALGORITHM);
        this.context = ("duet-affinity-v1\n" + pool + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Mac.getInstance(ALGORITHM).init(spec); // fail now, on the reload thread, rather than per request
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The cookie value for this stamp. */
    String seal(CookieStamp s) {
        String payload = B64.encodeToString(s.serverId().getBytes(StandardCharsets.UTF_8)) + '.'
                + Long.toString(s.issuedSec(), 36) + '.' + Long.toString(s.seenSec(), 36) + '.'
                + Long.toUnsignedString(s.nonce(), 36);
        return payload + '.' + B64.encodeToString(tag(payload));
    }

    /** The stamp of a well-formed value with a valid tag, else {@code null} (never throws on client input). */
    CookieStamp open(String value) {
        if (value == null || value.length() > 512) {
            return null;
        }
        int tagAt = value.lastIndexOf('.');
        if (tagAt <= 0) {
            return null;
        }
        byte[] given;
        try {
            given = B64D.decode(value.substring(tagAt + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String payload = value.substring(0, tagAt);
        // Constant time: MessageDigest.isEqual does not stop at the first differing byte.
        if (!MessageDigest.isEqual(given, tag(payload))) {
            return null;
        }
        String[] parts = payload.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            String id = new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
            return new CookieStamp(id, Long.parseLong(parts[1], 36), Long.parseLong(parts[2], 36),
                    Long.parseUnsignedLong(parts[3], 36));
        } catch (IllegalArgumentException e) {
            return null; // only a key holder can produce a valid tag, so this is a bug or a foreign key; ignore it
        }
    }

    private byte[] tag(String payload) {
        Mac mac = macs.get();
        mac.update(context);
        byte[] full = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        byte[] tag = new byte[TAG_BYTES];
        System.arraycopy(full, 0, tag, 0, TAG_BYTES);
        return tag;
    }
}
