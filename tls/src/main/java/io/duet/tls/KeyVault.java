package io.duet.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Private keys (and other secrets of the document, such as affinity signing keys) sealed at rest: AES-256-GCM under the node's data key, a 32-byte random key kept outside the
 * configuration document in {@code <dir>/data.key} (mode 0600, directory 0700). The document carries only the sealed
 * form, {@code duet-sealed:v1:<key id>:<base64url(nonce | ciphertext | tag)>}; every node of a cluster holds the same
 * data key (copied at join), so every node can open every sealed key and no API ever returns one in clear.
 *
 * <p>The key id (16 hex digits of the data key's SHA-256) is authenticated with the ciphertext, so a key sealed by
 * another cluster's data key fails with a message that says so rather than as a bad tag.
 *
 * <p>Thread-safe. Opening a vault reads (or creates) a small file: call it off I/O threads.
 */
public final class KeyVault {
    public static final String PREFIX = "duet-sealed:v1:";
    public static final String FILE_NAME = "data.key";

    private static final Logger LOG = LoggerFactory.getLogger(KeyVault.class);
    private static final String FILE_HEADER = "duet-data-key-v1 ";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;
    private final Path file;

    private KeyVault(byte[] raw, Path file) {
        this.key = new SecretKeySpec(raw, "AES");
        this.keyId = keyId(raw);
        this.file = file;
    }

    /**
     * The vault of a node: reads {@code <dir>/data.key}, creating the directory (0700) and a new random key (0600)
     * the first time. A key file readable by group or others is narrowed to 0600 with a warning.
     *
     * @throws TlsMaterialException DUET-TLS-0022 when the file exists but is not a data key
     */
    public static KeyVault open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dir, file);
            }
            narrowMode(file);
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!text.startsWith(FILE_HEADER)) {
                throw TlsMessage.DATA_KEY_UNUSABLE.exception(file, "it does not start with '" + FILE_HEADER.trim()
                        + "'");
            }
            byte[] raw = Base64.getDecoder().decode(text.substring(FILE_HEADER.length()).trim());
            if (raw.length != 32) {
                throw TlsMessage.DATA_KEY_UNUSABLE.exception(file, "it holds " + raw.length + " bytes, not 32");
            }
            return new KeyVault(raw, file);
        } catch (IOException | IllegalArgumentException e) {
            throw TlsMessage.DATA_KEY_UNUSABLE.exception(e, file, CertificateImport.rootMessage(e));
        }
    }

    /**
     * Installs a cluster's data key (received when this node joined) as this node's: every node of a cluster must
     * open the keys sealed in the replicated document. A different key already there is kept aside as
     * {@code data.key.<its id>.replaced} (its sealed values stay recoverable), never deleted.
     *
     * @throws TlsMaterialException DUET-TLS-0022 when the key is not 32 bytes or cannot be written
     */
    public static KeyVault install(Path dir, byte[] raw) {
        Path file = dir.resolve(FILE_NAME);
        if (raw.length != 32) {
            throw TlsMessage.DATA_KEY_UNUSABLE.exception(file, "the key to install holds " + raw.length
                    + " bytes, not 32");
        }
        try {
            if (Files.exists(file)) {
                KeyVault old = open(dir);
                if (old.keyId.equals(keyId(raw))) {
                    return old;
                }
                Path aside = dir.resolve(FILE_NAME + "." + old.keyId + ".replaced");
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.info(TlsMessage.DATA_KEY_REPLACED.format(old.keyId, aside, keyId(raw)));
            }
            write(dir, file, raw);
            return open(dir);
        } catch (IOException e) {
            throw TlsMessage.DATA_KEY_UNUSABLE.exception(e, file, CertificateImport.rootMessage(e));
        }
    }

    /**
     * The raw data key, for handing it to a node that joins the cluster (over the join channel only). The caller
     * should overwrite the array once sent.
     */
    public byte[] exportKey() {
        return key.getEncoded();
    }

    private static void create(Path dir, Path file) throws IOException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        if (write(dir, file, raw)) {
            LOG.info(TlsMessage.DATA_KEY_CREATED.format(file, keyId(raw)));
        }
    }

    /** Writes a key file atomically (0600 before the key is in it); false when another process was first. */
    private static boolean write(Path dir, Path file, byte[] raw) throws IOException {
        Files.createDirectories(dir);
        trySetMode(dir, "rwx------");
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        trySetMode(tmp, "rw-------"); // before the key is written
        Files.writeString(tmp, FILE_HEADER + Base64.getEncoder().encodeToString(raw) + "\n",
                StandardCharsets.US_ASCII, StandardOpenOption.SYNC);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp); // another process created it first: use theirs
            return false;
        }
        return true;
    }

    private static void narrowMode(Path file) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> wide = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            if (mode.stream().anyMatch(wide::contains)) {
                String was = PosixFilePermissions.toString(mode);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                LOG.warn(TlsMessage.DATA_KEY_MODE_FIXED.format(file, was));
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to narrow.
        }
    }

    private static void trySetMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system.
        }
    }

    /** True for a value in the sealed form (as opposed to a PEM key in clear). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** This vault's key id (16 hex digits), shown in messages and status, never secret. */
    public String keyId() {
        return keyId;
    }

    /** The data key file. */
    public Path file() {
        return file;
    }

    /** Seals a private key (its PKCS#8 encoding). A fresh random nonce each time. */
    public String seal(PrivateKey privateKey) {
        byte[] plain = privateKey.getEncoded();
        try {
            return sealBytes(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Seals a secret that is not a private key (an affinity signing key) in the same form; {@link #openSecret}
     * opens it. A fresh random nonce each time; {@code secret} is not changed.
     */
    public String sealSecret(byte[] secret) {
        return sealBytes(secret);
    }

    private String sealBytes(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(keyId));
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /**
     * Opens a sealed private key.
     *
     * @throws TlsMaterialException DUET-TLS-0020 sealed under another data key, DUET-TLS-0021 damaged or altered
     */
    public PrivateKey open(String sealed) {
        byte[] plain = openBytes(sealed);
        try {
            return toKey(plain);
        } catch (GeneralSecurityException e) {
            throw TlsMessage.SEALED_CORRUPT.exception(e, CertificateImport.rootMessage(e));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Opens a secret sealed by {@link #sealSecret}; the caller should overwrite the array once used.
     *
     * @throws TlsMaterialException DUET-TLS-0020 sealed under another data key, DUET-TLS-0021 damaged or altered
     */
    public byte[] openSecret(String sealed) {
        return openBytes(sealed);
    }

    private byte[] openBytes(String sealed) {
        if (!isSealed(sealed)) {
            throw TlsMessage.SEALED_CORRUPT.exception("it does not start with " + PREFIX);
        }
        String rest = sealed.substring(PREFIX.length()).trim();
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw TlsMessage.SEALED_CORRUPT.exception("no key id");
        }
        String id = rest.substring(0, colon);
        if (!id.equals(keyId)) {
            throw TlsMessage.SEALED_WITH_OTHER_KEY.exception(id, keyId, file);
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            if (in.length <= NONCE_BYTES) {
                throw TlsMessage.SEALED_CORRUPT.exception("too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(aad(id));
            return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw TlsMessage.SEALED_CORRUPT.exception(e, "the authentication tag does not match");
        } catch (IllegalArgumentException e) {
            throw TlsMessage.SEALED_CORRUPT.exception(e, "not base64url");
        } catch (GeneralSecurityException e) {
            throw TlsMessage.SEALED_CORRUPT.exception(e, CertificateImport.rootMessage(e));
        }
    }

    private static PrivateKey toKey(byte[] pkcs8) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[]{"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static byte[] aad(String id) {
        return (PREFIX + id).getBytes(StandardCharsets.US_ASCII);
    }

    private static String keyId(byte[] raw) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KeyVault[" + file + " id " + keyId + "]";
    }
}
