package io.duet.proxy.routing;

import io.duet.proxy.request.RequestContext;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first bytes of a request body without consuming it: the bytes read are put back into the exchange
 * ({@link Connectors#ungetRequestBytes}) so whatever runs next (the proxy) still sees the whole body.
 * Asynchronous: it never blocks the I/O thread; {@code next} runs once enough bytes or the end of the body arrived.
 */
final class BodyPrefixReader implements ChannelListener<StreamSourceChannel> {
    private static final byte[] EMPTY = new byte[0];

    private final HttpServerExchange exchange;
    private final int want;
    private final HttpHandler next;
    private final List<PooledByteBuffer> buffers = new ArrayList<>(4);
    private int read;

    private BodyPrefixReader(HttpServerExchange exchange, int want, HttpHandler next) {
        this.exchange = exchange;
        this.want = want;
        this.next = next;
    }

    /**
     * Reads up to {@code want} bytes of the body, keeps them in the request's context
     * ({@link RequestContext#bodyPrefix}; each body route decodes only its own {@code maxBytes} of them), then runs
     * {@code next}.
     * A client that asked {@code Expect: 100-continue} waits for the 100 before it sends the body, so the 100 is
     * sent first (the backend cannot send it: nothing is forwarded before routing ends).
     */
    static void read(HttpServerExchange exchange, int want, HttpHandler next) throws Exception {
        if (exchange.isRequestComplete() || exchange.getRequestContentLength() == 0) {
            RequestContext.of(exchange).bodyPrefix(EMPTY);
            next.handleRequest(exchange);
            return;
        }
        if (HttpContinue.requiresContinueResponse(exchange)) {
            // Completes at once when the 100 could be flushed (this thread), else later on a worker thread.
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    try {
                        start(ex, want, next);
                    } catch (Exception e) {
                        IoUtils.safeClose(ex.getConnection());
                    }
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    IoUtils.safeClose(ex.getConnection());
                }
            });
            return;
        }
        start(exchange, want, next);
    }

    private static void start(HttpServerExchange exchange, int want, HttpHandler next) throws Exception {
        BodyPrefixReader reader = new BodyPrefixReader(exchange, want, next);
        StreamSourceChannel channel = exchange.getRequestChannel();
        boolean done;
        try {
            done = reader.pump(channel);
        } catch (IOException e) {
            reader.release();
            throw e;
        }
        if (done) {
            reader.finish(channel, false);
        } else {
            channel.getReadSetter().set(reader);
            channel.resumeReads();
        }
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
        try {
            if (pump(channel)) {
                finish(channel, true);
            }
        } catch (Throwable t) {
            release();
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Reads what is available; true when done (enough bytes, or end of body). */
    private boolean pump(StreamSourceChannel channel) throws IOException {
        while (read < want) {
            PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate();
            ByteBuffer b = pooled.getBuffer();
            int limit = Math.min(b.capacity(), want - read);
            b.limit(limit);
            int r;
            try {
                r = channel.read(b);
            } catch (IOException e) {
                pooled.close();
                throw e;
            }
            if (r <= 0) {
                if (b.position() > 0) {
                    b.flip();
                    buffers.add(pooled);
                } else {
                    pooled.close();
                }
                if (r == -1) {
                    return true;
                }
                return false;
            }
            read += r;
            b.flip();
            buffers.add(pooled);
        }
        return true;
    }

    private void finish(StreamSourceChannel channel, boolean fromListener) throws Exception {
        byte[] prefix = new byte[read];
        int n = 0;
        for (PooledByteBuffer p : buffers) {
            ByteBuffer d = p.getBuffer().duplicate();
            int take = d.remaining();
            d.get(prefix, n, take);
            n += take;
        }
        RequestContext.of(exchange).bodyPrefix(prefix);
        if (!buffers.isEmpty()) {
            Connectors.ungetRequestBytes(exchange, buffers.toArray(new PooledByteBuffer[0]));
            buffers.clear(); // the exchange owns them now
            Connectors.resetRequestChannel(exchange);
        }
        if (fromListener) {
            channel.getReadSetter().set(null);
            channel.suspendReads();
            Connectors.executeRootHandler(next, exchange);
        } else {
            next.handleRequest(exchange);
        }
    }

    private void release() {
        for (PooledByteBuffer p : buffers) {
            IoUtils.safeClose(p);
        }
        buffers.clear();
    }
}
