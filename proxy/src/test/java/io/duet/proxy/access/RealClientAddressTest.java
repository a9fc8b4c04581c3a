package io.duet.proxy.access;

import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.duet.proxy.access.AccessFixture.doc;
import static io.duet.proxy.access.AccessFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The address access rules and match.sources see is the real client's: the PROXY protocol's source from a trusted
 * peer, and from a trusted proxy the right-most X-Forwarded-For address that is not a trusted proxy; an untrusted
 * peer's X-Forwarded-For is ignored.
 */
class RealClientAddressTest {
    private StubBackend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void backend() {
        backend = StubBackend.start("b");
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
    }

    private void start(String listenerExtra, String forwarding) {
        proxy = ProxyFixture.start(doc("listeners: [{name: http, address: 127.0.0.1, port: 0" + listenerExtra + "}]\n"
                + forwarding
                + "virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: p, "
                + "access: {deny: [203.0.113.0/24]}}]}]\n"
                + "pools: [{name: p, servers: [{address: 127.0.0.1, port: " + backend.port() + "}]}]\n"));
    }

    private InetSocketAddress at() {
        return proxy.dataPlane().address("http");
    }

    // PROXY v1 from a trusted peer: its source is the client the rule judges.
    @Test
    void proxyProtocolV1Source() {
        start(", proxyProtocol: {enabled: true, trustedAddresses: [127.0.0.1]}", "");
        assertThat(viaProxyV1("203.0.113.7").status()).isEqualTo(403);
        assertThat(viaProxyV1("198.51.100.7").status()).isEqualTo(200);
    }

    private RawHttp.Response viaProxyV1(String source) {
        try (RawHttp c = AccessFixture.from("127.0.0.1", at())) {
            c.send("PROXY TCP4 " + source + " 192.0.2.1 51000 80\r\nGET / HTTP/1.1\r\nHost: a.test\r\n\r\n");
            return c.readResponse();
        }
    }

    // PROXY v2 from a trusted peer: its source is the client, for every request of the connection.
    @Test
    void proxyProtocolV2Source() {
        start(", proxyProtocol: {enabled: true, trustedAddresses: [127.0.0.1]}", "");
        try (RawHttp c = AccessFixture.from("127.0.0.1", at())) {
            c.send(concat(v2(new byte[] {(byte) 203, 0, 113, 9}), "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"));
            assertThat(c.readResponse().status()).isEqualTo(403);
            c.send("GET /again HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(403);
        }
        try (RawHttp c = AccessFixture.from("127.0.0.1", at())) {
            c.send(concat(v2(new byte[] {(byte) 198, 51, 100, 9}), "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"));
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }

    // From a trusted proxy, X-Forwarded-For is read from the right: trusted hops are skipped, the first
    // untrusted address is the client (an address a client wrote further left does not help it).
    @Test
    void trustedForwardedForGivesTheRightMostUntrustedAddress() {
        start("", "forwarding: {trustedProxies: [127.0.0.1, 10.0.0.0/8]}\n");
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 203.0.113.9").status()).isEqualTo(403);
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 203.0.113.9, 10.1.1.1").status()).isEqualTo(403);
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 198.51.100.3, 203.0.113.9").status())
                .isEqualTo(403);
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 203.0.113.9, 198.51.100.3").status())
                .isEqualTo(200);
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-For: 198.51.100.3, 10.0.0.1").status()).isEqualTo(200);
        assertThat(get("127.0.0.1", at(), "/").status()).isEqualTo(200);
    }

    // A peer that is not a trusted proxy cannot choose its address: its X-Forwarded-For is ignored.
    @Test
    void untrustedPeersForwardedForIsIgnored() {
        proxy = ProxyFixture.start(doc("""
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                forwarding: {trustedProxies: [127.0.0.1]}
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: p, access: {allow: [198.51.100.0/24]}}]}]
                pools: [{name: p, servers: [{address: 127.0.0.1, port: %d}]}]
                """.formatted(backend.port())));
        assertThat(get("127.0.0.2", at(), "/", "X-Forwarded-For: 198.51.100.1").status()).isEqualTo(403);
        assertThat(get("127.0.0.1", at(), "/", "X-Forwarded-For: 198.51.100.1").status()).isEqualTo(200);
    }

    /** A PROXY v2 header: PROXY command, TCP over IPv4, from {@code src} to 10.0.0.1:80. */
    private static byte[] v2(byte[] src) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(src).put(new byte[] {10, 0, 0, 1}).putShort((short) 40000).putShort((short) 80);
        return b.array();
    }

    private static byte[] concat(byte[] a, String b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
