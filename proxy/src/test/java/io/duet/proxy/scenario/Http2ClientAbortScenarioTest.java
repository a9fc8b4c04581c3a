package io.duet.proxy.scenario;

import io.duet.proxy.testing.RawBackend;
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
import io.duet.proxy.testing.RawH2;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An HTTP/2 client that goes away in the middle of an upload: the backend request is aborted too. */
class Http2ClientAbortScenarioTest {

    private static DataPlane start(int backendPort) {
        DuetConfig c = new DuetConfig(1L, List.of(new Listener("web", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of(), null, null, null, null))), null, null, null,
                List.of(new VirtualHost("v", List.of("h2.test"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "p")))),
                List.of(new Pool("p", null, List.of(new Server("b1", "127.0.0.1", backendPort, null, null)))),
                List.of());
        return DataPlane.start(c, new DataPlaneOptions(Path.of("target/duet-test-data"), 1, new MetricRegistry(),
                "h2-abort"));
    }

    // The client closes its connection (or resets the stream) with the request body half sent: Duet closes the
    // backend connection at once rather than leaving the backend waiting for the rest of the body.
    @Test
    void clientGoneMidUploadAbortsTheBackendRequest() throws Exception {
        try (RawBackend backend = RawBackend.start("b1", RawBackend.ok("never"));
             DataPlane dp = start(backend.port())) {
            int port = dp.address("web").getPort();
            for (boolean reset : new boolean[]{true, false}) {
                int before = backend.incompleteBodies();
                int heads = backend.heads();
                RawH2 c = RawH2.connect(port, "h2.test");
                c.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, RawH2.request("POST", "/upload", "h2.test",
                        "content-length", "100000"));
                c.frame(RawH2.DATA, 0, 1, new byte[1000]);
                c.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.heads() == heads + 1);
                if (reset) {
                    c.frame(RawH2.RST_STREAM, 0, 1, RawH2.errorCode(0x8));
                    c.flush();
                } else {
                    c.close();
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(backend.incompleteBodies()).as(reset ? "after RST_STREAM" : "after close")
                                .isEqualTo(before + 1));
                c.close();
            }
        }
    }
}
