package io.duet.proxy.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.config.AccessLog;
import io.duet.config.RouteMatch;
import io.duet.config.Syslog;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.duet.proxy.scenario.Scenarios.address;
import static io.duet.proxy.scenario.Scenarios.get;
import static io.duet.proxy.scenario.Scenarios.pool;
import static io.duet.proxy.scenario.Scenarios.route;
import static io.duet.proxy.scenario.Scenarios.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log (a JSON file, syslog over UDP) after real traffic through the whole data plane. */
class AccessLogScenarioTest {

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    // N requests give N JSON lines naming route, pool, server, status and the request id the client saw.
    @Test
    void oneJsonLinePerRequest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        int n = 5;
        try (StubBackend b = StubBackend.start("b");
             ProxyFixture proxy = ProxyFixture.start(Scenarios.config(null,
                     new AccessLog(true, "json", file.toString()),
                     List.of(route("all", RouteMatch.any(), "p", null, null, null)),
                     pool("p", server("b", b.port()))))) {
            List<String> ids = new ArrayList<>();
            try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                for (int i = 0; i < n; i++) {
                    RawHttp.Response r = c.send(get("/page/" + i)).readResponse();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("X-Request-Id")).isNotBlank();
                    ids.add(r.header("X-Request-Id"));
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == n);

            ObjectMapper json = new ObjectMapper();
            List<String> loggedIds = new ArrayList<>();
            List<String> uris = new ArrayList<>();
            for (String line : lines(file)) {
                JsonNode e = json.readTree(line);
                assertThat(e.path("route").asText()).isEqualTo("all");
                assertThat(e.path("vhost").asText()).isEqualTo("v");
                assertThat(e.path("pool").asText()).isEqualTo("p");
                assertThat(e.path("server").asText()).isEqualTo("b");
                assertThat(e.path("status").asInt()).isEqualTo(200);
                assertThat(e.path("method").asText()).isEqualTo("GET");
                assertThat(e.path("listener").asText()).isEqualTo("http");
                loggedIds.add(e.path("request_id").asText());
                uris.add(e.path("uri").asText());
            }
            assertThat(loggedIds).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(uris).containsExactlyInAnyOrder("/page/0", "/page/1", "/page/2", "/page/3", "/page/4");
            // The backend saw the same ids.
            assertThat(b.seen()).extracting(s -> s.header("X-Request-Id")).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    // With a syslog output, a request through the data plane is one RFC 5424 datagram on a real UDP socket: facility
    // local1 with severity info for a 200, host name and tag as configured, and the combined line with the request id.
    @Test
    void oneSyslogDatagramPerRequest(@TempDir Path dir) throws Exception {
        try (DatagramChannel udp = DatagramChannel.open();
             StubBackend b = StubBackend.start("b")) {
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            AccessLog syslog = new AccessLog(true, "combined", null,
                    new Syslog("udp://127.0.0.1:" + port, "rfc5424", "local1", "edge", null, "node1"));
            try (ProxyFixture proxy = ProxyFixture.start(Scenarios.config(null, syslog,
                    List.of(route("all", RouteMatch.any(), "p", null, null, null)), pool("p", server("b", b.port()))))) {
                String id;
                try (RawHttp c = RawHttp.connect(address(proxy.port()))) {
                    RawHttp.Response r = c.send(get("/hello?x=1")).readResponse();
                    assertThat(r.status()).isEqualTo(200);
                    id = r.header("X-Request-Id");
                }
                udp.socket().setSoTimeout(10_000);
                byte[] buf = new byte[4096];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.socket().receive(p);
                String message = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                assertThat(message).matches("<142>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z node1 edge \\d+ - - "
                        + "127\\.0\\.0\\.1 - - \\[.*] \"GET /hello\\?x=1 HTTP/1\\.1\" 200 .*");
                assertThat(message).contains(" rid=" + id + " ", " route=v/all pool=p server=b listener=http");
            }
        }
    }
}
