package io.duet.proxy.scenario.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A plain TCP client socket whose writes can be held back ({@link #cork}) and then sent in one write
 * ({@link #uncork}), so that what several writes produced (say two TLS records written by an {@link
 * javax.net.ssl.SSLSocket} layered on it) reaches the server in one segment and is read by it at once. One thread.
 */
final class CorkedSocket extends Socket {
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean corked;
    private OutputStream out;

    CorkedSocket(int port) throws IOException {
        super("127.0.0.1", port);
        setTcpNoDelay(true);
    }

    /** Holds every later write until {@link #uncork}. */
    void cork() {
        corked = true;
    }

    /** Sends everything held in one write, and writes straight through again. */
    void uncork() throws IOException {
        corked = false;
        OutputStream raw = super.getOutputStream();
        raw.write(held.toByteArray());
        raw.flush();
        held.reset();
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            OutputStream raw = super.getOutputStream();
            out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (corked) {
                        held.write(b, off, len);
                    } else {
                        raw.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    if (!corked) {
                        raw.flush();
                    }
                }
            };
        }
        return out;
    }
}
