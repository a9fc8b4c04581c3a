package io.duet.proxy.action;

import io.duet.proxy.response.ErrorResponses;
import io.duet.proxy.response.ErrorId;

import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.ConduitFactory;
import io.undertow.util.Headers;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A route's request body limit.
 * <ul>
 *   <li>A Content-Length over the limit gets 413 ({@link ErrorId#BODY_TOO_LARGE}) at once, without the body being
 *       read, and the connection is closed after the answer (the unread body cannot be skipped safely).</li>
 *   <li>A body without a Content-Length (chunked) is counted as it is read; past the limit the read fails with
 *       Undertow's {@link RequestTooBigException} and the connection is marked not persistent. Whoever reads the
 *       body (the forwarder) sees that exception; once forwarding has started no 413 can be sent.</li>
 *   <li>The exchange's max entity size is also set to the limit (HTTP/2 and fixed-length bodies honour it).</li>
 * </ul>
 * Why the counting conduit: in Undertow 2.4.4 an HTTP/1.1 chunked body's limit is fixed when the request is parsed
 * (ChunkedStreamSourceConduit reads {@code getMaxEntitySize()} in its constructor and
 * {@code HttpServerConnection.maxEntitySizeUpdated} does nothing), so {@code setMaxEntitySize} from a route handler
 * does not limit it.
 *
 * <p>Must run before anything obtains the request channel. A malformed Content-Length is the edge's business
 * (400 before routing). Threads: I/O thread; never blocks. Immutable.
 */
public final class BodyLimitHandler implements HttpHandler {

    private final long limit;
    private final ConduitWrapper<StreamSourceConduit> counting;
    private final HttpHandler next;

    public BodyLimitHandler(long maxBodyBytes, HttpHandler next) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: 0 or more)");
        }
        this.limit = maxBodyBytes;
        this.counting = (ConduitFactory<StreamSourceConduit> factory, HttpServerExchange exchange) ->
                new Limited(factory.create(), exchange, limit);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (io.duet.proxy.edge.EdgeLimits.maxBody(exchange) >= 0) {
            // Behind an edge listener its body guard enforces the limit (declared and chunked, 413 and close).
            if (io.duet.proxy.edge.EdgeLimits.setMaxBody(exchange, limit)) {
                next.handleRequest(exchange);
            }
            return;
        }
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (length != null) {
            if (exceeds(length)) {
                ErrorResponses.send(exchange, ErrorId.BODY_TOO_LARGE, true);
                return;
            }
        } else if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
            exchange.addRequestWrapper(counting);
        }
        if (limit > 0) {
            exchange.setMaxEntitySize(limit);
        }
        next.handleRequest(exchange);
    }

    private boolean exceeds(String contentLength) {
        String s = contentLength.trim();
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return s.length() > 18 || Long.parseLong(s) > limit;
    }

    /** Counts body bytes as they are read; fails the read once more than the limit arrived. */
    private static final class Limited extends AbstractStreamSourceConduit<StreamSourceConduit> {
        private final HttpServerExchange exchange;
        private final long limit;
        private long remaining;

        Limited(StreamSourceConduit next, HttpServerExchange exchange, long limit) {
            super(next);
            this.exchange = exchange;
            this.limit = limit;
            this.remaining = limit;
        }

        private void count(long read) throws IOException {
            if (read > 0) {
                remaining -= read;
                if (remaining < 0) {
                    exchange.setPersistent(false);
                    throw new RequestTooBigException(ErrorId.BODY_TOO_LARGE.id()
                            + ": request body over the route limit of " + limit + " bytes");
                }
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = next.read(dst);
            count(n);
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            long n = next.read(dsts, offs, len);
            count(n);
            return n;
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
        }
    }
}
