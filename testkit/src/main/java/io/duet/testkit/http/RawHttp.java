package io.duet.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
 * A raw HTTP/1.1 client over a real socket: sends exactly the bytes it is given (any Host header, malformed requests
 * as written) and parses what comes back without any normalisation.
 *
 * <p>Not thread-safe: one test thread per instance. Every read has a socket timeout (5 s by default) so a
 * server that never answers fails the test instead of hanging it.
 */
public final class RawHttp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a listener (loopback in tests). */
    public static RawHttp connect(InetSocketAddress address) {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(address, 5_000);
            s.setSoTimeout(5_000);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Talks over a socket already connected (a TLS socket after its handshake, say); reads time out after 5 s. */
    public static RawHttp over(Socket connected) {
        try {
            connected.setSoTimeout(5_000);
            return new RawHttp(connected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One {@code GET path} with the given Host header (and {@code X-Test: raw-client}, {@code Connection: close}) to
     * 127.0.0.1 on the port of {@code to}; reads within 10 s. A refused connection is a {@link java.net.ConnectException}.
     */
    public static Response get(InetSocketAddress to, String host, String path) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", to.getPort()), 5_000);
            s.setSoTimeout(10_000);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        try (RawHttp client = new RawHttp(s)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Test: raw-client\r\n"
                    + "Connection: close\r\n\r\n");
            return client.readResponse();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The local port of this client (the server sees it as the peer port). */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Sends text as ISO-8859-1 bytes (so every char 0-255 reaches the wire as that byte). */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends bytes at once. */
    public RawHttp send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends text in pieces of {@code pieceBytes} with {@code pause} between them (a slow client: slowloris,
     * slow POST). Stops quietly when the server closes the connection meanwhile, returning the bytes sent.
     */
    public int sendSlowly(String text, int pieceBytes, Duration pause) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int sent = 0;
        try {
            while (sent < bytes.length) {
                int n = Math.min(pieceBytes, bytes.length - sent);
                out.write(bytes, sent, n);
                out.flush();
                sent += n;
                if (sent < bytes.length) {
                    // A deliberately slow client, not synchronisation.
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (IOException e) {
            // The server gave up on us: that is what slow-client tests expect.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }

    /** Reads one complete response (status line, headers, body framed by Content-Length or chunked). */
    public Response readResponse() {
        try {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new AssertionError("connection closed before a response arrived");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            byte[] body;
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
                body = readChunked();
            } else if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl.get(0)));
            } else if (status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, statusLine, headers, new String(body, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete response within the socket timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the server closed the connection (EOF or reset) within the given time; data before EOF fails. */
    public void assertClosedWithin(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int b = in.read();
            if (b != -1) {
                throw new AssertionError("expected EOF but the server sent more bytes, first: " + b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + timeout, e);
        } catch (SocketException e) {
            // A reset also ends the connection.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the connection stays open (no EOF, no bytes) for the given time. */
    public void assertOpenFor(Duration time) {
        try {
            socket.setSoTimeout((int) Math.max(1, time.toMillis()));
            int b = in.read();
            throw new AssertionError("expected an open, quiet connection, got " + (b == -1 ? "EOF" : "byte " + b));
        } catch (SocketTimeoutException e) {
            // still open
        } catch (IOException e) {
            throw new AssertionError("connection failed while it should stay open", e);
        } finally {
            try {
                socket.setSoTimeout(5_000);
            } catch (SocketException ignored) {
                // closed
            }
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new IOException("EOF inside chunked body");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                for (String t = readLine(); t != null && !t.isEmpty(); t = readLine()) {
                    // trailers ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        return readLine(in);
    }

    /**
     * Reads one line and returns it without its CR LF; at end of stream returns what was read, or {@code null} when
     * nothing was. Shared by the raw-socket fixtures.
     */
    public static String readLine(java.io.InputStream in) throws IOException {
        return readLine(in, false);
    }

    /**
     * As {@link #readLine(java.io.InputStream)}; with {@code strict}, end of stream inside a line is an
     * {@link java.io.EOFException} instead of a short line.
     */
    public static String readLine(java.io.InputStream in, boolean strict) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
        if (line.length() == 0) {
            return null;
        }
        if (strict) {
            throw new java.io.EOFException("EOF inside a line");
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** One parsed response; header names are lower-cased. */
    public record Response(int status, String statusLine, Map<String, List<String>> headers, String body) {
        /** First value of a header (any case), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }
}
