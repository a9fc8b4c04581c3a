package io.duet.proxy.testing;

import io.duet.testkit.http.RawHttp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately misbehaving HTTP/1.1 backend on a plain {@link ServerSocket} (127.0.0.1, ephemeral port): it
 * parses each request head, answers {@code Expect: 100-continue}, reads the body (Content-Length or chunked), records
 * the request and then runs a {@link Script} that writes whatever bytes the test wants, in any order, and may close
 * the socket at any point. Undertow-based stubs cannot lie about framing; this one can.
 *
 * <p>Threads: one accept thread and one thread per connection; the recorded lists are thread-safe. A request is
 * recorded only once its whole body arrived, so {@link #requests()} never holds a truncated body.
 */
public final class RawBackend implements AutoCloseable {

    /** One request as the backend read it; header names as sent, body decoded from its framing. */
    public record Request(String method, String target, List<String[]> headers, byte[] body) {
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        public long count(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).count();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** What the backend does with one complete request. Runs on the connection's thread; may block. */
    @FunctionalInterface
    public interface Script {
        void serve(Request request, Exchange exchange) throws Exception;
    }

    /** The raw response side of one request. */
    public static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean closed;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Writes text as ISO-8859-1 bytes and flushes. */
        public Exchange write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** The raw connection input (after a 101: the tunnel). */
        public InputStream input() throws IOException {
            return socket.getInputStream();
        }

        /** The raw connection output. */
        public OutputStream output() {
            return out;
        }

        /** Closes the connection (a FIN; unread input may turn it into a reset). */
        public void close() throws IOException {
            closed = true;
            socket.close();
        }
    }

    private final String name;
    private final ServerSocket server;
    private final Script script;
    private final boolean closeOnAccept;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger incompleteBodies = new AtomicInteger();
    private final AtomicInteger heads = new AtomicInteger();
    private final List<String> targets = new CopyOnWriteArrayList<>();

    private RawBackend(String name, Script script, boolean closeOnAccept) throws IOException {
        this.name = name;
        this.script = script;
        this.closeOnAccept = closeOnAccept;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** A backend that runs {@code script} for every complete request. */
    public static RawBackend start(String name, Script script) throws IOException {
        return new RawBackend(name, script, false);
    }

    /** A backend that accepts connections and closes them at once, reading nothing. */
    public static RawBackend closingOnAccept(String name) throws IOException {
        return new RawBackend(name, null, true);
    }

    // ---- ready-made scripts ----

    /** Answers 200 with a body naming the backend and the request, keeping the connection open. */
    public static Script ok(String body) {
        return (req, ex) -> ex.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
    }

    /** Reads the request and closes without a byte of response. */
    public static Script closeWithoutAnswer() {
        return (req, ex) -> ex.close();
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Complete requests received, in order. */
    public List<Request> requests() {
        return requests;
    }

    /** Connections accepted. */
    public int connections() {
        return connections.get();
    }

    /** Connections accepted and not yet closed by either side (a close by the peer counts once it is read). */
    public int open() {
        return open.get();
    }

    /** Request heads read (a request counts here as soon as its head arrived, before its body). */
    public int heads() {
        return heads.get();
    }

    /** The request target of every head read, in order (also of requests whose body never completed). */
    public List<String> targets() {
        return targets;
    }

    /** Requests whose body ended early (the peer closed inside it); never recorded in {@link #requests()}. */
    public int incompleteBodies() {
        return incompleteBodies.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                if (closeOnAccept) {
                    s.close();
                    continue;
                }
                sockets.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        open.incrementAndGet();
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            Exchange ex = new Exchange(s);
            while (!ex.closed) {
                Request req = readRequest(in, ex);
                if (req == null) {
                    return;
                }
                requests.add(req);
                script.serve(req, ex);
            }
        } catch (Exception e) {
            // The peer went away or the test closed us: the connection is done either way.
        } finally {
            open.decrementAndGet();
        }
    }

    private Request readRequest(InputStream in, Exchange ex) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", 3);
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[]{line.substring(0, colon), line.substring(colon + 1).trim()});
        }
        Request head = new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, new byte[0]);
        heads.incrementAndGet();
        targets.add(head.target());
        String expect = head.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            ex.write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        byte[] body;
        try {
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (cl != null) {
                int n = Integer.parseInt(cl.trim());
                body = in.readNBytes(n);
                if (body.length < n) {
                    throw new EOFException("body ended early");
                }
            } else {
                body = new byte[0];
            }
        } catch (EOFException e) {
            incompleteBodies.incrementAndGet();
            return null;
        }
        return new Request(head.method(), head.target(), headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("EOF inside chunked body");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                for (String t = readLine(in); ; t = readLine(in)) {
                    if (t == null) {
                        throw new EOFException("EOF inside trailers");
                    }
                    if (t.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("EOF inside a chunk");
            }
            body.write(chunk);
            if (readLine(in) == null) {
                throw new EOFException("EOF after a chunk");
            }
        }
    }

    /** A line without its CR LF, or null at EOF before any byte of it; EOF inside a line is an error. */
    private static String readLine(InputStream in) throws IOException {
        return io.duet.testkit.http.RawHttp.readLine(in, true);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        threads.shutdownNow();
    }
}
