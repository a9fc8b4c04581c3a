package io.duet.proxy.edge;

import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Above an edge connection's raw sink: passes writes through until its {@link HeadGuardConduit} rejected the
 * connection; then pretends to write, so a handler that still answers cannot make Undertow close the socket (and
 * reset it) before the linger ends. One per connection; any thread that writes it.
 */
final class SinkGuard extends AbstractStreamSinkConduit<StreamSinkConduit> {
    private final HeadGuardConduit guard;

    SinkGuard(StreamSinkConduit next, HeadGuardConduit guard) {
        super(next);
        this.guard = guard;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (guard.rejected()) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }
        return next.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        if (guard.rejected()) {
            long n = 0;
            for (int i = offs; i < offs + len; i++) {
                n += srcs[i].remaining();
                srcs[i].position(srcs[i].limit());
            }
            return n;
        }
        return next.write(srcs, offs, len);
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return guard.rejected() ? write(src) : next.writeFinal(src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return guard.rejected() ? write(srcs, offs, len) : next.writeFinal(srcs, offs, len);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return guard.rejected() ? count : next.transferFrom(src, position, count);
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return guard.rejected() ? Conduits.transfer(source, count, throughBuffer, this) : next.transferFrom(source, count, throughBuffer);
    }

    @Override
    public boolean flush() throws IOException {
        return guard.rejected() || next.flush();
    }

    @Override
    public void terminateWrites() throws IOException {
        if (!guard.rejected()) {
            next.terminateWrites();
        }
    }

    @Override
    public void truncateWrites() throws IOException {
        if (!guard.rejected()) {
            next.truncateWrites();
        }
    }
}
