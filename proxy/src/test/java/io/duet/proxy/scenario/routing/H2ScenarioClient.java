package io.duet.proxy.scenario.routing;

import io.duet.proxy.testing.RawH2;
import io.duet.testkit.http.RawHttp;
import io.undertow.protocols.http2.HpackDecoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/2 over TLS (ALPN h2, SNI the host name) with the proxy tests' {@link RawH2}: one connection per host, one
 * stream per request in turn, response headers decoded with Undertow's HPACK decoder, the connection window
 * replenished as data arrives. One test thread.
 */
final class H2ScenarioClient implements ScenarioClient {
    private final int port;
    private final Map<String, Connection> connections = new HashMap<>();

    private static final class Connection {
        final RawH2 h2;
        final HpackDecoder decoder = new HpackDecoder();
        int nextStream = 1;

        Connection(RawH2 h2) {
            this.h2 = h2;
        }
    }

    H2ScenarioClient(int port) {
        this.port = port;
    }

    @Override
    public RawHttp.Response send(String method, String host, String target, String body, String... headers)
            throws Exception {
        Connection c = connections.get(host);
        if (c == null) {
            c = new Connection(RawH2.connect(port, host));
            connections.put(host, c);
        }
        int stream = c.nextStream;
        c.nextStream += 2;
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        List<String> extra = new ArrayList<>(List.of(headers));
        if (bytes != null) {
            extra.add("content-length");
            extra.add(String.valueOf(bytes.length));
        }
        c.h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | (bytes == null ? RawH2.END_STREAM : 0), stream,
                RawH2.request(method, target, host, extra.toArray(new String[0])));
        if (bytes != null) {
            c.h2.frame(RawH2.DATA, RawH2.END_STREAM, stream, bytes);
        }
        c.h2.flush();
        return read(c, stream);
    }

    private static RawHttp.Response read(Connection c, int stream) throws Exception {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        c.decoder.setHeaderEmitter((name, value, neverIndex) -> fields.computeIfAbsent(
                name.toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value));
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            RawH2.Frame f = c.h2.read();
            if (f == null) {
                throw new IOException("connection closed before stream " + stream + " ended");
            }
            if (f.type() == RawH2.GOAWAY || (f.type() == RawH2.RST_STREAM && f.stream() == stream)) {
                throw new IOException("stream " + stream + " ended by frame type " + f.type() + ", error "
                        + f.errorCode());
            }
            if (f.stream() != stream) {
                continue;
            }
            if (f.type() == RawH2.HEADERS || f.type() == RawH2.CONTINUATION) {
                block.write(f.payload());
                if ((f.flags() & RawH2.END_HEADERS) != 0) {
                    c.decoder.decode(ByteBuffer.wrap(block.toByteArray()), false);
                    block.reset();
                }
            } else if (f.type() == RawH2.DATA) {
                body.write(f.payload());
                if (f.payload().length > 0) {
                    c.h2.frame(RawH2.WINDOW_UPDATE, 0, 0, RawH2.int32(f.payload().length));
                    c.h2.flush();
                }
            }
            if ((f.flags() & RawH2.END_STREAM) != 0 && (f.type() == RawH2.HEADERS || f.type() == RawH2.DATA)) {
                break;
            }
        }
        int status = Integer.parseInt(fields.remove(":status").get(0));
        return new RawHttp.Response(status, "HTTP/2 " + status, fields, body.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            try {
                c.h2.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        connections.clear();
    }
}
