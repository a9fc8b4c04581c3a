package io.duet.proxy.pool;

import io.undertow.connector.PooledByteBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferPoolTest {

    @Test
    void aBufferReleasedOnItsThreadComesBackClearedFromThatThreadsStack() {
        BufferPool pool = new BufferPool(1024, true, 4, 8);
        PooledByteBuffer first = pool.allocate();
        ByteBuffer b = first.getBuffer();
        assertThat(b.isDirect()).isTrue();
        assertThat(b.capacity()).isEqualTo(1024);
        b.put((byte) 1).flip();
        first.close();
        assertThat(pool.keptByThisThread()).isEqualTo(1);
        assertThat(pool.sharedQueued()).isZero();

        PooledByteBuffer again = pool.allocate();
        assertThat(again.getBuffer()).isSameAs(b);
        assertThat(again.getBuffer().position()).isZero();
        assertThat(again.getBuffer().remaining()).isEqualTo(1024);
        assertThat(pool.keptByThisThread()).isZero();
    }

    @Test
    void whenTheThreadsStackIsFullBuffersGoToTheSharedQueueAndBeyondItToTheCollector() {
        BufferPool pool = new BufferPool(64, false, 2, 3);
        List<PooledByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            held.add(pool.allocate());
        }
        held.forEach(PooledByteBuffer::close);
        assertThat(pool.keptByThisThread()).isEqualTo(2);
        assertThat(pool.sharedQueued()).isEqualTo(3);
    }

    @Test
    void aBufferReleasedOnAnotherThreadIsReusedThroughTheSharedQueue() throws Exception {
        BufferPool pool = new BufferPool(64, true, 0, 4);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            PooledByteBuffer p = pool.allocate();
            ByteBuffer b = p.getBuffer();
            CompletableFuture.runAsync(p::close, other).get();
            assertThat(pool.sharedQueued()).isEqualTo(1);
            assertThat(pool.allocate().getBuffer()).isSameAs(b);
            assertThat(pool.sharedQueued()).isZero();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aSecondCloseIsIgnoredAndTheBufferIsGoneAfterClose() {
        BufferPool pool = new BufferPool(64, true, 4, 4);
        PooledByteBuffer p = pool.allocate();
        p.close();
        p.close();
        assertThat(p.isOpen()).isFalse();
        assertThat(pool.keptByThisThread()).isEqualTo(1);
        assertThatThrownBy(p::getBuffer).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theArrayBackedPoolGivesHeapBuffersOfTheSameSize() {
        BufferPool pool = new BufferPool(256, true, 1, 1);
        PooledByteBuffer p = pool.getArrayBackedPool().allocate();
        assertThat(p.getBuffer().hasArray()).isTrue();
        assertThat(p.getBuffer().capacity()).isEqualTo(256);
        assertThat(pool.getArrayBackedPool()).isSameAs(pool.getArrayBackedPool());
        pool.close();
        p.close();
        assertThat(pool.sharedQueued()).isZero();
    }
}
