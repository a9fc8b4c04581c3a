package io.duet.proxy.edge;

import io.duet.config.ProxyProtocol;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PROXY protocol v1/v2: required from trusted peers, refused from everyone else. */
class EdgeProxyProtocolTest {

    @RegisterExtension
    final EdgeServer server = new EdgeServer();

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A PROXY v2 header: PROXY command, TCP over IPv4, the given source and destination. */
    static byte[] v2(byte[] src, int srcPort, byte[] dst, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE);
        b.put((byte) 0x21);            // version 2, PROXY
        b.put((byte) 0x11);            // AF_INET, STREAM
        b.putShort((short) 12);        // address block length
        b.put(src).put(dst).putShort((short) srcPort).putShort((short) dstPort);
        return b.array();
    }

    private static byte[] concat(byte[] a, String b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    // A trusted peer's PROXY v1 header sets the exchange's source address.
    @Test
    void v1FromTrustedPeerSetsTheSourceAddress() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null),
                new ProxyProtocol(true, List.of("127.0.0.0/8")), EdgeServer::echo);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("PROXY TCP4 203.0.113.7 192.0.2.1 51000 80\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r.body(), "source")).isEqualTo("203.0.113.7:51000");
        }
    }

    // A trusted peer's PROXY v2 header sets the exchange's source address; keep-alive requests keep it.
    @Test
    void v2FromTrustedPeerSetsTheSourceAddress() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null),
                new ProxyProtocol(true, List.of("::1", "127.0.0.1/32")), EdgeServer::echo);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send(concat(v2(new byte[] {(byte) 198, 51, 100, 9}, 40000, new byte[] {10, 0, 0, 1}, 80),
                    "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"));
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(EdgeServer.field(r.body(), "source")).isEqualTo("198.51.100.9:40000");
            c.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(EdgeServer.field(c.readResponse().body(), "source")).isEqualTo("198.51.100.9:40000");
        }
    }

    // A trusted peer must send the header: plain HTTP from it is not served.
    @Test
    void trustedPeerWithoutHeaderIsClosed() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null),
                new ProxyProtocol(true, List.of("127.0.0.1")), EdgeServer::echo);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
    }

    // An untrusted peer is plain HTTP: its PROXY v1 line is a bad request (400, closed, counted).
    @Test
    void v1FromUntrustedPeerIs400() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null),
                new ProxyProtocol(true, List.of("10.0.0.0/8")), EdgeServer::echo);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("PROXY TCP4 203.0.113.7 192.0.2.1 51000 80\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(400);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        assertThat(server.events.count("proxyProtocolRejected")).isEqualTo(1);
    }

    // An untrusted peer's PROXY v2 header is a bad request too, and plain HTTP from it is served normally.
    @Test
    void v2FromUntrustedPeerIs400AndPlainHttpPasses() {
        server.start(EdgeServer.limits(null, null, null, null, null, null, null, null, null),
                new ProxyProtocol(true, List.of("10.0.0.0/8")), EdgeServer::echo);
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send(concat(v2(new byte[] {1, 2, 3, 4}, 1, new byte[] {5, 6, 7, 8}, 2), "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"));
            assertThat(c.readResponse().status()).isEqualTo(400);
            c.assertClosedWithin(Duration.ofSeconds(3));
        }
        try (RawHttp c = RawHttp.connect(server.address())) {
            c.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertThat(EdgeServer.field(r.body(), "source")).isEqualTo("127.0.0.1:" + c.localPort());
        }
    }
}
