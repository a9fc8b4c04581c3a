package io.duet.proxy.accesslog;

import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * Standard output ({@code path: "-"}): never closed (it is the process's) and never reopened, except to retry after
 * a failed write. Writer thread only.
 */
final class StdoutSink extends StreamSink {
    StdoutSink(LineFormat format) {
        super(format, new FailureLog("-"));
    }

    @Override
    public void open() {
        out = new FileOutputStream(FileDescriptor.out).getChannel();
    }

    @Override
    public int maintain(boolean reopenRequested) {
        if (out == null) {
            open();
            failures.recovered();
        }
        return 0;
    }

    @Override
    void closeOutput() {
        out = null; // closing the channel would close file descriptor 1
    }
}
