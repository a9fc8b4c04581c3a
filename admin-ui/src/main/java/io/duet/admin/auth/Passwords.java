package io.duet.admin.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password hashes: Argon2id (Bouncy Castle) in the PHC string format, with OWASP's minimum parameters (19 MiB of
 * memory, 2 iterations, 1 lane: about 30-60 ms here). Verification takes as long for an unknown user (a hash of a
 * fixed dummy is checked) as for a known one. Any thread, but slow by design: never on an I/O thread.
 *
 * <p>At most {@value #MAX_CONCURRENT} hashes run at once on a node (each takes 19 MiB): a flood of logins from many
 * addresses, which the per-address throttle lets through, cannot take the heap or every CPU. A caller waits up to
 * {@value #MAX_WAIT_MS} ms for its turn, then gets {@link BusyException}.
 */
public final class Passwords {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int LANES = 1;
    /** Hashes computed at once: 2 x 19 MiB; about 40 checks a second on this machine, plenty for administrators. */
    public static final int MAX_CONCURRENT = 2;
    static final long MAX_WAIT_MS = 5000;
    /** The turns to hash (package-private so tests can take them all). */
    /** The turns to hash (tests take them all to play a busy node). */
    public static final java.util.concurrent.Semaphore HASHING =
            new java.util.concurrent.Semaphore(MAX_CONCURRENT, true);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** The shortest password accepted when a user sets one. */
    public static final int MIN_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final String DUMMY = hash("duet-dummy-password-for-unknown-users");

    private Passwords() {
    }

    /** The node is computing as many password hashes as it allows, and none finished in time: try again soon. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("this node is checking too many passwords at once (at most " + MAX_CONCURRENT + "): try again in a "
                    + "second");
        }
    }

    /** A new hash of {@code password} with a random salt. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(h);
    }

    /** True when {@code password} matches {@code phc}; a null or malformed hash checks the dummy and says false. */
    public static boolean verify(String password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            verify(password, DUMMY);
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (memory > 1024 * 1024 || iterations > 20 || lanes > 16) {
            return false; // a document cannot make logins cost a gigabyte
        }
        byte[] salt = Base64.getDecoder().decode(m.group(4));
        byte[] expected = Base64.getDecoder().decode(m.group(5));
        byte[] actual = derive(password, salt, memory, iterations, lanes);
        boolean ok = MessageDigest.isEqual(expected, actual);
        Arrays.fill(actual, (byte) 0);
        return ok;
    }

    /**
     * The same work as a real check, for a user that does not exist: the answer's timing says nothing.
     *
     * @return false, always
     */
    public static boolean verifyNobody(String password) {
        verify(password, DUMMY);
        return false;
    }

    /**
     * A random password for the first admin: 20 characters from an alphabet without look-alikes (about 115 bits).
     */
    public static String generate() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /**
     * Why a new password is not acceptable, or null: at least {@value #MIN_LENGTH} characters, not the user's name,
     * not the old password.
     */
    public static String weakness(String user, String password, String oldPassword) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > 1024) {
            return "at most 1024 characters";
        }
        if (password.equalsIgnoreCase(user)) {
            return "not the user name";
        }
        if (password.equals(oldPassword)) {
            return "not the current password";
        }
        return null;
    }

    /** The Argon2id hash; waits for one of the {@value #MAX_CONCURRENT} turns. @throws BusyException no turn in time */
    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int lanes) {
        try {
            if (!HASHING.tryAcquire(MAX_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
        try {
            return argon2id(password, salt, memory, iterations, lanes);
        } finally {
            HASHING.release();
        }
    }

    private static byte[] argon2id(String password, byte[] salt, int memory, int iterations, int lanes) {
        Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(p);
        byte[] out = new byte[HASH_BYTES];
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        g.generateBytes(pw, out);
        Arrays.fill(pw, (byte) 0);
        return out;
    }
}
