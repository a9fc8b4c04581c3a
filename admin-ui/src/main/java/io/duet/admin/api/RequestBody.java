package io.duet.admin.api;

import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;

import java.io.IOException;
import java.io.InputStream;

/**
 * An admin API request's body: read whole up to {@value #MAX_BYTES} bytes, and after the answer, what the client is
 * still sending is read and dropped up to {@value #LINGER_BYTES} bytes before the connection closes (a lingering
 * close, as nginx's). Closing while a client still sends resets the connection, and a client that fails to send
 * never reads the answer that explained why (a 413 was lost that way). A client sending more than the allowance is
 * cut off; one that stalls is closed by the listener's idle timeout ({@code AdminServer.IDLE_TIMEOUT_MS}).
 *
 * <p>Thread: the exchange's worker thread, in blocking mode.
 */
public final class RequestBody {
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    public static final long LINGER_BYTES = 16L * 1024 * 1024;

    /** The body did not fit in {@link #MAX_BYTES}. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("the request body is larger than " + MAX_BYTES + " bytes");
        }
    }

    private RequestBody() {
    }

    /**
     * Called before anything is read. Undertow's own cap, the listener's {@code MAX_ENTITY_SIZE}, is set to
     * {@link #MAX_BYTES} + {@link #LINGER_BYTES} (it closes the connection as soon as a read crosses it, and for
     * chunked bodies it is fixed when the request head is parsed): the reads here stop at {@link #MAX_BYTES}.
     *
     * @throws TooLargeException the declared length is over {@link #MAX_BYTES}: answer that before reading
     */
    static void open(HttpServerExchange ex) throws TooLargeException {
        if (ex.getRequestContentLength() > MAX_BYTES) {
            ex.setPersistent(false);
            throw new TooLargeException();
        }
    }

    /** The whole body. */
    static byte[] read(HttpServerExchange ex) throws IOException {
        InputStream in = ex.getInputStream();
        byte[] b = in.readNBytes(MAX_BYTES + 1);
        if (b.length > MAX_BYTES) {
            ex.setPersistent(false);
            throw new TooLargeException();
        }
        return b;
    }

    /**
     * After the answer has been written and flushed: reads what is left of the body, up to {@link #LINGER_BYTES};
     * when more is coming, closes the connection.
     */
    static void finish(HttpServerExchange ex) {
        if (ex.isRequestComplete()) {
            return;
        }
        byte[] sink = new byte[16 * 1024];
        long dropped = 0;
        try {
            InputStream in = ex.getInputStream();
            int n;
            while (dropped <= LINGER_BYTES && (n = in.read(sink)) >= 0) {
                dropped += n;
            }
            if (dropped <= LINGER_BYTES) {
                return; // all read: the exchange ends as usual
            }
        } catch (IOException e) {
            // the client went away or the idle timeout closed it: nothing more to do
        }
        IoUtils.safeClose(ex.getConnection());
    }
}
