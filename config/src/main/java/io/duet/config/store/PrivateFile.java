package io.duet.config.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold secrets (the configuration document with its password hashes, token hashes and sealed keys, its
 * history, backups, keys, join tokens): readable and writable by their owner only (0600). The mode is given when the
 * file is created, before a byte is in it; nothing is ever narrowed after the content is written.
 *
 * <p>On a file system without POSIX permissions the files get what the file system gives. Every method blocks for
 * file I/O (and an fsync): never call it on an I/O thread.
 */
public final class PrivateFile {
    /** rw-------. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> SHARED = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFile() {
    }

    /**
     * Replaces {@code file} with {@code bytes}: a temporary file beside it, created 0600, written and synced, then
     * renamed over {@code file} atomically (a crash leaves the old content or the new, never a mix) and the directory
     * synced. The new file is 0600 whatever the old one's mode was. Creates missing parent directories (0700).
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            createDirectories(dir);
        }
        Path tmp = createTemp(dir, "." + file.getFileName() + ".");
        boolean moved = false;
        try {
            writeSynced(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes {@code bytes} to {@code file} (0600) only if {@code file} does not exist yet: an existing one is never
     * replaced, also not by a concurrent caller (the file appears whole, by a hard link, or is created exclusively
     * where links are not supported).
     *
     * @return true when written, false when {@code file} existed
     */
    public static boolean writeOnce(Path file, byte[] bytes) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = createTemp(dir, "." + file.getFileName() + ".");
        try {
            writeSynced(tmp, bytes);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                // No hard links here: create it exclusively and write it (a crash may leave it partial).
                try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), ownerOnly(dir))) {
                    write(ch, bytes);
                } catch (FileAlreadyExistsException again) {
                    return false;
                }
            }
            syncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The mode of {@code path} (as {@code rw-r--r--}) when its group or others have any permission on it; null
     * when only its owner has, when it does not exist, or on a file system without POSIX permissions.
     */
    public static String sharedMode(Path path) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            for (PosixFilePermission p : mode) {
                if (SHARED.contains(p)) {
                    return PosixFilePermissions.toString(mode);
                }
            }
            return null;
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }

    /** Creates a directory and its missing parents, the new ones 0700. */
    public static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    private static Path createTemp(Path dir, String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".tmp", ownerOnly(dir));
    }

    /** 0600 at creation where the file system has POSIX permissions; nothing to give elsewhere. */
    private static FileAttribute<?>[] ownerOnly(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, bytes);
        }
    }

    private static void write(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
        ch.force(true);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot fsync a directory; the rename itself is atomic.
        }
    }
}
