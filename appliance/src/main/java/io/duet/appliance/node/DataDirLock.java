package io.duet.appliance.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a running node holds on {@code <data.dir>/node.lock}: a second node on the same data directory refuses to
 * start, and {@code duet restore} refuses to write under a running node. The operating system releases it when the
 * process ends, however it ends.
 */
public final class DataDirLock implements AutoCloseable {
    static final String FILE = "node.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process (or this one) holds it. */
    public static DataDirLock tryAcquire(Path dataDir) throws IOException {
        FileChannel ch = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            return new DataDirLock(ch, l);
        } catch (OverlappingFileLockException e) {
            ch.close();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing releases it anyway
        }
    }
}
