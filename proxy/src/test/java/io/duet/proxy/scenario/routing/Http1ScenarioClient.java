package io.duet.proxy.scenario.routing;

import io.duet.testkit.http.RawHttp;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/1.1 over plain sockets or TLS sockets (one per host, from a factory that may set the SNI name), with the
 * test kit's {@link RawHttp}: any Host header, {@code Content-Length} bodies, keep-alive. One test thread.
 */
final class Http1ScenarioClient implements ScenarioClient {
    /** Opens a connected socket for a host name. */
    interface Connector {
        Socket open(String host) throws Exception;
    }

    private final Connector connector;
    private final Map<String, RawHttp> connections = new HashMap<>();

    Http1ScenarioClient(Connector connector) {
        this.connector = connector;
    }

    @Override
    public RawHttp.Response send(String method, String host, String target, String body, String... headers)
            throws Exception {
        RawHttp c = connections.get(host);
        if (c == null) {
            c = RawHttp.over(connector.open(host));
            connections.put(host, c);
        }
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("\r\n");
        byte[] head = request.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = java.util.Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, whole, head.length, bytes.length);
        c.send(whole);
        return c.readResponse();
    }

    @Override
    public void close() {
        connections.values().forEach(RawHttp::close);
        connections.clear();
    }
}
