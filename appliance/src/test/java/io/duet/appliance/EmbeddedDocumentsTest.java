package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.config.VirtualHost;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The documents Duet writes itself, as values (their validity is checked in ConfigDocumentsTest). */
class EmbeddedDocumentsTest {
    private static NodeBootstrap bootstrap() throws StartupException {
        return BootstrapReader.read(null, Path.of("/nonexistent/duet.properties"),
                Map.of("DUET_PROXY_PORT", "18080", "DUET_PROXY_TLS_PORT", "18443", "DUET_PROXY_ADDRESS", "127.0.0.1",
                        "DUET_NODE_ID", "n1"));
    }

    // The demo: listener http on the bootstrap's proxy port and https (the node's self-signed certificate) on its
    // TLS port, host demo (demo.local, default), route all -> pool demo.
    @Test
    void demoDocument() throws Exception {
        DuetConfig doc = EmbeddedDocuments.demo(bootstrap(), new InetSocketAddress("127.0.0.1", 4001),
                new InetSocketAddress("127.0.0.1", 4002));

        assertListeners(doc);
        VirtualHost host = doc.virtualHosts().get(0);
        assertThat(host.name()).isEqualTo("demo");
        assertThat(host.hostnames()).containsExactly("demo.local");
        assertThat(host.defaultHost()).isTrue();
        assertThat(host.routes()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("all");
            assertThat(r.pool()).isEqualTo("demo");
        });
        Pool pool = doc.pool("demo");
        assertThat(pool.balancer()).isEqualTo(Pool.ROUND_ROBIN);
        assertThat(pool.servers()).extracting(Server::id, Server::address, Server::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b1", "127.0.0.1", 4001),
                        org.assertj.core.groups.Tuple.tuple("b2", "127.0.0.1", 4002));
    }

    private static void assertListeners(DuetConfig doc) {
        assertThat(doc.listeners()).extracting(l -> l.name(), l -> l.address(), l -> l.port(), l -> l.protocol())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", "127.0.0.1", 18080, "http"),
                        org.assertj.core.groups.Tuple.tuple("https", "127.0.0.1", 18443, "https"));
        assertThat(doc.listeners().get(1).tls().certificates()).isEmpty(); // the node's self-signed certificate
    }

    // The first-start document: http and https listeners and a default host answering with a welcome page.
    @Test
    void welcomeDocument() throws Exception {
        DuetConfig doc = EmbeddedDocuments.welcome(bootstrap());

        assertThat(doc.revision()).isEqualTo(1L);
        assertListeners(doc);
        assertThat(doc.virtualHosts()).singleElement().satisfies(h -> {
            assertThat(h.defaultHost()).isTrue();
            assertThat(h.routes().get(0).respond().status()).isEqualTo(200);
            assertThat(h.routes().get(0).respond().body()).contains("Duet is running on node n1", "duet example");
        });
        assertThat(doc.pools()).isEmpty();
    }
}
