package io.duet.appliance;

import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.DemoBackends;
import io.duet.appliance.node.Node;
import io.duet.config.Affinity;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.tls.KeyVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The affinity signing key at rest: a key written in clear into the document is sealed by the node that commits
 * it, the file keeps only the sealed form, and sticky cookies keep leading to their server across a restart and on
 * the other node of a pair (which holds the same data key).
 */
@Tag("needs-dataplane")
class AffinityKeySealingTest {
    private static final String KEY = "EUvaPMc1FtAPRHEcX0avLgS+cVY7+3sdjIBO8NZEVCE=";
    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Node start(Path dataDir) throws StartupException {
        Node node = LoopbackNodes.start(LoopbackNodes.env("sticky-" + dataDir.getFileName(), dataDir, 1));
        closing.add(node);
        return node;
    }

    private HttpResponse<String> get(Node node, String cookie) throws Exception {
        InetSocketAddress a = node.listenerAddress("web");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theKeyIsSealedAtRestAndCookiesStillLeadToTheirServer() throws Exception {
        DemoBackends backends = DemoBackends.start();
        closing.add(backends);
        DuetConfig doc = ConfigBuilders.document().revision(1).listener(new Listener("web", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("v").hostname("localhost").defaultHost()
                        .route(ConfigBuilders.forward("all", RouteMatch.any(), "sticky")))
                .pool(ConfigBuilders.pool("sticky")
                        .server(ConfigBuilders.server(backends.b1().getHostString(), backends.b1().getPort()).id("b1"))
                        .server(ConfigBuilders.server(backends.b2().getHostString(), backends.b2().getPort()).id("b2"))
                        .affinity(new Affinity(Affinity.COOKIE, KEY, null, null, null, null)))
                .build();
        Path a = dir.resolve("a");
        Files.createDirectories(a);
        Path file = a.resolve("config.json");
        Files.writeString(file, ConfigCodec.encode(doc, ConfigCodec.Format.JSON));

        Node node = start(a);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(Files.readString(file)).contains("\"signingKey\": \"duet-sealed:v1:").doesNotContain(KEY));
        HttpResponse<String> first = get(node, null);
        String server = first.headers().firstValue("X-Backend").orElseThrow();
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        node.close();
        closing.remove(node);
        Node restarted = start(a);
        HttpResponse<String> again = get(restarted, cookie);
        assertThat(again.headers().firstValue("X-Backend")).contains(server);
        assertThat(again.headers().firstValue("Set-Cookie")).as("the cookie is still valid").isEmpty();

        // The pair's other node: the same document and the cluster's data key (copied when it joined).
        Path b = dir.resolve("b");
        Files.createDirectories(b);
        KeyVault.install(b.resolve("keys"), KeyVault.open(a.resolve("keys")).exportKey());
        Files.writeString(b.resolve("config.json"), Files.readString(file));
        Node peer = start(b);
        HttpResponse<String> there = get(peer, cookie);
        assertThat(there.headers().firstValue("X-Backend")).contains(server);
        assertThat(there.headers().firstValue("Set-Cookie")).isEmpty();
    }
}
