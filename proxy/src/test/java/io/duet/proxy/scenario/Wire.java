package io.duet.proxy.scenario;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw client socket for scenarios {@link io.duet.testkit.http.RawHttp} cannot express: reading only a response
 * head (HEAD, truncated responses), reading "up to n bytes or EOF", and telling EOF from a timeout.
 *
 * <p>Not thread-safe, except that one thread may write while another reads. Reads time out after 5 s.
 */
final class Wire implements Closeable {

    /** A response head; header names lower-cased. */
    record Head(int status, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Wire connect(int port) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            s.setSoTimeout(5_000);
            return new Wire(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Wire send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response head, or null when the connection ended (EOF or reset) before a status line. */
    Head readHead() {
        try {
            String status = readLine();
            if (status == null) {
                return null;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            return new Head(Integer.parseInt(status.split(" ", 3)[1]), headers);
        } catch (SocketException e) {
            return null; // reset
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response head within the socket timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until {@code n} bytes arrived or the connection ended (EOF or reset); fails on a timeout. */
    byte[] readUpTo(int n) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (got.size() < n) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection neither delivered " + n + " bytes nor ended; got " + got.size(), e);
        } catch (SocketException e) {
            // reset: the connection ended
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return got.toByteArray();
    }

    /**
     * Reads a chunked body to its end. Returns the decoded body, or null when the connection ended before the
     * terminating zero-size chunk (a truncated body).
     */
    String readChunkedOrNull() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (true) {
                String sizeLine = readLine();
                if (sizeLine == null || sizeLine.isEmpty()) {
                    return null;
                }
                int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    String end = readLine();
                    return end == null ? null : body.toString(StandardCharsets.ISO_8859_1);
                }
                byte[] chunk = in.readNBytes(size);
                body.write(chunk);
                if (chunk.length < size || readLine() == null) {
                    return null;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("chunked body neither completed nor ended", e);
        } catch (SocketException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the peer ended the connection (EOF or reset) within {@code timeout} without sending more bytes. */
    boolean endsWithin(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int b = in.read();
            if (b != -1) {
                throw new AssertionError("expected the connection to end, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() throws IOException {
        return io.duet.testkit.http.RawHttp.readLine(in);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
