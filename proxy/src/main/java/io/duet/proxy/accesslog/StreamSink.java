package io.duet.proxy.accesslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_WRITE_FAILED;

/**
 * A byte-stream output (a file or standard output): records are formatted one after the other into one reusable
 * buffer, which is written in one {@code write} per batch (or per {@value #CHUNK} bytes under heavy load). Writer
 * thread only.
 */
abstract class StreamSink implements Sink {
    /** Bytes buffered before a write even in the middle of a batch. */
    static final int CHUNK = 64 * 1024;
    static final String WRITE_FAILED = "{} cannot write the access log {}: {}; records are dropped until it can be"
            + " written again (check disk space and permissions)";

    private final LineFormat format;
    private final LineBuffer batch = new LineBuffer(CHUNK + 8 * 1024);
    private int lines;
    /** The open output, or null when closed or failed. */
    WritableByteChannel out;
    final FailureLog failures;

    StreamSink(LineFormat format, FailureLog failures) {
        this.format = format;
        this.failures = failures;
    }

    @Override
    public final int add(AccessRecord r) {
        if (out == null) {
            return 1;
        }
        int mark = batch.length();
        try {
            format.append(batch, r);
        } catch (RuntimeException e) {
            batch.truncate(mark); // a record the format cannot write is lost alone
            return 1;
        }
        lines++;
        return batch.length() >= CHUNK ? flush() : 0;
    }

    @Override
    public final int flush() {
        if (batch.length() == 0 || out == null) {
            int lost = out == null ? lines : 0;
            batch.clear();
            lines = 0;
            return lost;
        }
        ByteBuffer bytes = ByteBuffer.wrap(batch.array(), 0, batch.length());
        int lost = 0;
        try {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            failures.failed(WRITE_FAILED, ACCESS_LOG_WRITE_FAILED, e);
            lost = lines; // a partial write is counted as lost whole: the file's end is unknown anyway
            closeOutput();
        }
        batch.clear();
        lines = 0;
        return lost;
    }

    @Override
    public final int close() {
        int lost = flush();
        closeOutput();
        return lost;
    }

    /** Forgets the output (closing it if it is ours). */
    abstract void closeOutput();
}
