package io.duet.proxy.accesslog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_OPEN_FAILED;
import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_REOPENED;

/**
 * A file, opened in append mode (its directory created), reopened when an external tool moves, replaces or deletes
 * it: {@link #maintain} compares the file key (device and inode) of the path with the file it has open. Writer
 * thread only.
 */
final class FileSink extends StreamSink {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);

    private final Path path;
    private Object openFileKey;

    FileSink(Path path, LineFormat format) {
        super(format, new FailureLog(path.toString()));
        this.path = path;
    }

    @Override
    public void open() {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            openFileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            failures.recovered();
        } catch (IOException e) {
            failures.failed("{} cannot open the access log {}: {}; records are dropped until it can be opened"
                    + " (check that the directory exists and is writable by the duet user)", ACCESS_LOG_OPEN_FAILED, e);
            closeOutput();
        }
    }

    @Override
    public int maintain(boolean reopenRequested) {
        if (out != null && !reopenRequested) {
            Object key;
            try {
                key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                key = null;
            } catch (IOException e) {
                return 0; // cannot tell; keep writing where we are
            }
            if (key != null && (openFileKey == null || openFileKey.equals(key))) {
                return 0;
            }
            LOG.info("{} access log {} was moved or replaced; reopening it", ACCESS_LOG_REOPENED, path);
        }
        int lost = close();
        open();
        return lost;
    }

    @Override
    void closeOutput() {
        var channel = out;
        out = null;
        openFileKey = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Already reported by the write that failed, if any; nothing more to do with a dead file.
            }
        }
    }
}
