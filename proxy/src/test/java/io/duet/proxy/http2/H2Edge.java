package io.duet.proxy.http2;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.proxy.testing.RawBackend;
import io.duet.proxy.testing.RawH2;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An https listener with h2 in front of a {@link RawBackend} that records every request head it reads, for tests
 * that speak raw HTTP/2 frames at the edge and check what the server answered (RST_STREAM, GOAWAY, a response) and
 * what reached the backend.
 */
final class H2Edge implements AutoCloseable {
    static final String HOST = "h2.test";

    final RawBackend backend;
    final DataPlane dataPlane;
    final int port;

    private H2Edge(RawBackend backend, DataPlane dataPlane) {
        this.backend = backend;
        this.dataPlane = dataPlane;
        this.port = dataPlane.address("web").getPort();
    }

    static H2Edge start() throws IOException {
        return start(RawBackend.ok("ok"), null);
    }

    /** An edge in front of a backend running {@code script}, the pool limited by {@code limit} (null: none). */
    static H2Edge start(RawBackend.Script script, io.duet.config.ServerLimit limit) throws IOException {
        RawBackend backend = RawBackend.start("b1", script);
        Pool pool = new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backend.port(), null, null)),
                null, null, null, null, null, null, null, null, null, limit, null);
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(), null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of(HOST), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(pool), List.of());
        return new H2Edge(backend, DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1,
                new MetricRegistry(), "h2-rules-test")));
    }

    /** What a test sends on a fresh connection after the preface and SETTINGS. */
    @FunctionalInterface
    interface Sender {
        void send(RawH2 c) throws IOException;
    }

    /** Everything the server sent on one connection until it answered a final PING, or closed. */
    record Outcome(List<RawH2.Frame> frames, boolean closed) {
        Optional<RawH2.Frame> goAway() {
            return frames.stream().filter(f -> f.type() == RawH2.GOAWAY).findFirst();
        }

        Optional<RawH2.Frame> reset(int stream) {
            return frames.stream().filter(f -> f.type() == RawH2.RST_STREAM && f.stream() == stream).findFirst();
        }

        boolean responded(int stream) {
            return frames.stream().anyMatch(f -> f.type() == RawH2.HEADERS && f.stream() == stream);
        }

        List<String> summary() {
            List<String> s = new ArrayList<>();
            for (RawH2.Frame f : frames) {
                s.add(switch (f.type()) {
                    case RawH2.GOAWAY -> "GOAWAY(" + f.errorCode() + ")";
                    case RawH2.RST_STREAM -> "RST_STREAM(" + f.stream() + "," + f.errorCode() + ")";
                    case RawH2.HEADERS -> "HEADERS(" + f.stream() + ")";
                    default -> "type" + f.type() + "(" + f.stream() + ")";
                });
            }
            s.add(closed ? "closed" : "open");
            return s;
        }
    }

    private static final byte[] PING = {'d', 'u', 'e', 't', 'p', 'i', 'n', 'g'};

    /**
     * Connects, sends the preface, SETTINGS and what {@code sender} writes, then a PING; reads until the PING is
     * answered (everything sent before it was handled) or the connection ends. Frames on a stream the test expects
     * an answer on may come after the PING's answer: {@code awaitStream} (0 for none) keeps reading until that stream
     * got HEADERS or RST_STREAM, at most 5 s; -1 reads until the connection ends.
     */
    Outcome exchange(Sender sender, int awaitStream) throws Exception {
        try (RawH2 c = RawH2.connect(port, HOST)) {
            try {
                sender.send(c);
                c.frame(RawH2.PING, 0, 0, PING);
                c.flush();
            } catch (IOException e) {
                // the server may close while we still write: read what it sent
            }
            return collect(c, awaitStream, true);
        }
    }

    /**
     * Like {@link #exchange} without the PING, for cases where the server may end the connection (see
     * {@link #exchangeUntilClosed}): reads until {@code awaitStream} got HEADERS or RST_STREAM, or the connection
     * ended.
     */
    Outcome exchangeWithoutPing(Sender sender, int awaitStream) throws Exception {
        try (RawH2 c = RawH2.connect(port, HOST)) {
            try {
                sender.send(c);
                c.flush();
            } catch (IOException e) {
                // the server may close while we still write: read what it sent
            }
            return collect(c, awaitStream, false);
        }
    }

    /**
     * Connects, sends the preface, SETTINGS and what {@code sender} writes, and reads until the server closes the
     * connection (at most 5 s). Nothing more is sent: bytes the server never reads would turn its close into a TCP
     * reset, which can discard its GOAWAY before this client reads it.
     */
    Outcome exchangeUntilClosed(Sender sender) throws Exception {
        try (RawH2 c = RawH2.connect(port, HOST)) {
            try {
                sender.send(c);
                c.flush();
            } catch (IOException e) {
                // the server may close while we still write: read what it sent
            }
            return collect(c, -1, false);
        }
    }

    static Outcome collect(RawH2 c, int awaitStream, boolean pingSent) throws IOException {
        List<RawH2.Frame> frames = new ArrayList<>();
        boolean pinged = !pingSent;
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                RawH2.Frame f = c.read();
                if (f == null) {
                    return new Outcome(frames, true);
                }
                if (f.type() == RawH2.PING && (f.flags() & RawH2.ACK) != 0
                        && java.util.Arrays.equals(f.payload(), PING)) {
                    pinged = true;
                } else {
                    frames.add(f);
                }
                boolean streamDone = awaitStream == 0 || frames.stream().anyMatch(x -> x.stream() == awaitStream
                        && (x.type() == RawH2.RST_STREAM || x.type() == RawH2.HEADERS));
                if (pinged && streamDone && awaitStream >= 0) {
                    return new Outcome(frames, false);
                }
            }
        } catch (SocketTimeoutException e) {
            // still open without an answer
        }
        return new Outcome(frames, false);
    }

    /** The stream was reset with this code, the connection goes on, and the stream got no response. */
    static void assertStreamError(Outcome o, int stream, int code) {
        assertThat(o.reset(stream)).as("RST_STREAM on stream %d; frames %s", stream, o.summary()).isPresent();
        assertThat(o.reset(stream).get().errorCode()).as("error code; frames %s", o.summary()).isEqualTo(code);
        assertThat(o.goAway()).as("no GOAWAY; frames %s", o.summary()).isEmpty();
        assertThat(o.closed()).as("connection still open; frames %s", o.summary()).isFalse();
        assertThat(o.responded(stream)).as("no response on stream %d; frames %s", stream, o.summary()).isFalse();
    }

    /** GOAWAY with this code, then the connection closed. */
    static void assertConnectionError(Outcome o, int code) {
        assertThat(o.goAway()).as("GOAWAY; frames %s", o.summary()).isPresent();
        assertThat(o.goAway().get().errorCode()).as("GOAWAY code; frames %s", o.summary()).isEqualTo(code);
        assertThat(o.closed()).as("connection closed; frames %s", o.summary()).isTrue();
    }

    /**
     * A stream error of this code, or the same code as a connection error (RFC 9113 5.4.1: an endpoint may treat a
     * stream error as a connection error); the stream got no response either way.
     */
    static void assertStreamOrConnectionError(Outcome o, int stream, int code) {
        if (o.goAway().isPresent()) {
            assertConnectionError(o, code);
            assertThat(o.responded(stream)).as("no response on stream %d; frames %s", stream, o.summary()).isFalse();
        } else {
            assertStreamError(o, stream, code);
        }
    }

    /** The stream got a response and the connection goes on. */
    static void assertServed(Outcome o, int stream) {
        assertThat(o.responded(stream)).as("response on stream %d; frames %s", stream, o.summary()).isTrue();
        assertThat(o.reset(stream)).as("no RST_STREAM; frames %s", o.summary()).isEmpty();
        assertThat(o.goAway()).as("no GOAWAY; frames %s", o.summary()).isEmpty();
    }

    /**
     * Nothing with this path reached the backend. Checked after a well-formed request on a new connection got its
     * response: a request forwarded earlier would have reached the backend before it.
     */
    void assertNotForwarded(String path) throws Exception {
        String marker = "/marker" + System.nanoTime();
        Outcome o = exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                RawH2.fields(":method", "GET", ":scheme", "https", ":path", marker, ":authority", HOST)), 1);
        assertServed(o, 1);
        assertThat(backend.targets()).as("the marker reached the backend").contains(marker);
        assertThat(backend.targets()).as("nothing of %s reached the backend", path)
                .noneMatch(t -> t.startsWith(path));
    }

    /**
     * Nothing but a marker request reached the backend since it had read {@code before} request heads (nothing
     * with a path starting with {@code path} in any case); checked as {@link #assertNotForwarded}.
     */
    void assertNothingForwardedSince(int before, String path) throws Exception {
        String marker = "/marker" + System.nanoTime();
        Outcome o = exchange(c -> c.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                RawH2.fields(":method", "GET", ":scheme", "https", ":path", marker, ":authority", HOST)), 1);
        assertServed(o, 1);
        assertThat(backend.targets()).as("the marker reached the backend").contains(marker);
        List<String> since = List.copyOf(backend.targets().subList(before, backend.targets().size()));
        assertThat(since).as("requests at the backend since the case began").containsExactly(marker);
    }

    /** The request the backend read for this path (the last one). */
    RawBackend.Request forwarded(String path) {
        List<RawBackend.Request> all = backend.requests().stream().filter(r -> r.target().equals(path)).toList();
        assertThat(all).as("requests for %s at the backend", path).isNotEmpty();
        return all.get(all.size() - 1);
    }

    @Override
    public void close() {
        dataPlane.close();
        backend.close();
    }
}
