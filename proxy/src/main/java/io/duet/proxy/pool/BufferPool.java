package io.duet.proxy.pool;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O buffers of the data plane: fixed-size buffers, reused through a small stack per thread and a bounded
 * shared queue.
 *
 * <p>Why not Undertow's {@code DefaultByteBufferPool}: with its per-thread cache off, every allocation polls a
 * shared lock-free queue and every release also looks up the thread's cache in a synchronized map; with the cache
 * on, both do. A request allocates and releases about four buffers, and JFR showed the pool at about 7% of the I/O
 * thread's Java time. Here a buffer released on the thread that will reuse it (the usual case: an I/O thread
 * allocates and releases its own buffers) goes to that thread's stack and comes back from it without a lock or a
 * shared write.
 *
 * <p>Bounds: each thread keeps at most {@code perThread} buffers, the shared queue at most {@code shared}; a buffer
 * released when both are full is left to the garbage collector. Memory held while idle is therefore at most
 * {@code (threads * perThread + shared) * bufferSize}.
 *
 * <p>Threads: any; a buffer must be closed once (a second close is ignored, as Undertow's pool does), and its
 * {@link PooledByteBuffer#getBuffer()} fails after close.
 */
public final class BufferPool implements ByteBufferPool {
    private final int bufferSize;
    private final boolean direct;
    private final int perThread;
    private final int shared;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ThreadLocal<Stack> stacks;
    private volatile BufferPool arrayBacked;
    private volatile boolean closed;

    /**
     * @param bufferSize bytes per buffer
     * @param direct     direct (off-heap) buffers, for socket I/O; else heap buffers
     * @param perThread  buffers each thread keeps for itself
     * @param shared     buffers kept in the shared queue
     */
    public BufferPool(int bufferSize, boolean direct, int perThread, int shared) {
        if (bufferSize <= 0 || perThread < 0 || shared < 0) {
            throw new IllegalArgumentException("bufferSize > 0, perThread >= 0, shared >= 0");
        }
        this.bufferSize = bufferSize;
        this.direct = direct;
        this.perThread = perThread;
        this.shared = shared;
        this.stacks = ThreadLocal.withInitial(() -> new Stack(perThread));
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer b = perThread == 0 ? null : stacks.get().pop();
        if (b == null) {
            b = queue.poll();
            if (b != null) {
                queued.decrementAndGet();
            } else {
                b = direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
            }
        }
        b.clear();
        return new Pooled(this, b);
    }

    private void release(ByteBuffer b) {
        if (closed) {
            return;
        }
        if (perThread > 0 && stacks.get().push(b)) {
            return;
        }
        if (queued.incrementAndGet() <= shared) {
            queue.offer(b);
        } else {
            queued.decrementAndGet(); // both full: the collector frees it
        }
    }

    /** Buffers in the shared queue now (tests and metrics). */
    public int sharedQueued() {
        return queued.get();
    }

    /** Buffers the calling thread keeps for itself now (tests). */
    public int keptByThisThread() {
        return perThread == 0 ? 0 : stacks.get().size;
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        if (!direct) {
            return this;
        }
        BufferPool a = arrayBacked;
        if (a == null) {
            synchronized (this) {
                a = arrayBacked;
                if (a == null) {
                    a = new BufferPool(bufferSize, false, perThread, shared);
                    arrayBacked = a;
                }
            }
        }
        return a;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        queued.set(0);
        BufferPool a = arrayBacked;
        if (a != null) {
            a.close();
        }
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    /** One thread's buffers: an array used as a stack. Owner thread only. */
    private static final class Stack {
        private final ByteBuffer[] items;
        private int size;

        Stack(int capacity) {
            items = new ByteBuffer[capacity];
        }

        ByteBuffer pop() {
            if (size == 0) {
                return null;
            }
            ByteBuffer b = items[--size];
            items[size] = null;
            return b;
        }

        boolean push(ByteBuffer b) {
            if (size == items.length) {
                return false;
            }
            items[size++] = b;
            return true;
        }
    }

    /** One allocation: the buffer until it is closed. */
    private static final class Pooled implements PooledByteBuffer {
        private final BufferPool pool;
        private ByteBuffer buffer;

        Pooled(BufferPool pool, ByteBuffer buffer) {
            this.pool = pool;
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException("the buffer was returned to the pool");
            }
            return b;
        }

        @Override
        public void close() {
            ByteBuffer b = buffer;
            if (b != null) {
                buffer = null;
                pool.release(b);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }

        @Override
        public String toString() {
            return "PooledBuffer[" + (buffer == null ? "closed" : buffer.capacity() + " bytes") + "]";
        }
    }
}
