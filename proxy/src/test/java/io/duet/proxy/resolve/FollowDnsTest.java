package io.duet.proxy.resolve;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.proxy.DataPlane;
import io.duet.proxy.DataPlaneOptions;
import io.duet.proxy.health.HealthState;
import io.duet.proxy.health.ServerHealthStatus;
import io.duet.testkit.http.LoopbackPorts;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Servers given by host name follow DNS, end to end: a real data plane, real backends on 127.0.0.1 and 127.0.0.2
 * (same port), and a hosts file the test rewrites as the name's DNS record (looked up every second).
 */
class FollowDnsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    /** Checks every 250 ms with a timeout generous enough for a backend's cold first answer on a loaded machine. */
    private static DuetConfig doc(int port, String resolve) throws Exception {
        return doc(1, port, resolve);
    }

    private static DuetConfig doc(long revision, int port, String resolve) throws Exception {
        return ConfigValidator.requireValid(ConfigCodec.decode("""
                revision: %d
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                virtualHosts: [{name: v, hostnames: [dns.test], defaultHost: true, routes: [{name: all, pool: p}]}]
                pools:
                  - name: p
                    servers: [{id: api, address: api.test, port: %d}]
                    healthCheck: {type: http, path: /health, intervalMs: 250, timeoutMs: 2000}
                    resolve: %s
                """.formatted(revision, port, resolve), ConfigCodec.Format.YAML));
    }

    private static DataPlane start(DuetConfig doc, HostsFile hosts) {
        return DataPlane.start(doc, new DataPlaneOptions(Path.of("target/duet-test-data"), 2, new MetricRegistry(),
                "duet-test").withResolver(hosts));
    }

    private static ServerHealthStatus status(DataPlane dp, String server) {
        return dp.health().status("p").server(server);
    }

    private static HttpResponse<String> get(DataPlane dp) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + dp.address("http").getPort() + "/x")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the clients completed {@code more} further requests. */
    private static void runFor(Load load, long more) {
        long mark = load.sent();
        await().atMost(WAIT).until(() -> load.sent() >= mark + more);
    }

    // The name moves to another address under load: traffic and health checks move with it, the old address's
    // connections drain (it gets nothing more once in-flight requests ended), and no request fails.
    @Test
    void addressChangeUnderLoadFailsNothing() throws Exception {
        int port = LoopbackPorts.commonFree("127.0.0.1", "127.0.0.2");
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.1 api.test");
        try (StubBackend old = StubBackend.startOn("old", "127.0.0.1", port).body("ok old");
             StubBackend now = StubBackend.startOn("new", "127.0.0.2", port).body("ok new");
             DataPlane dp = start(doc(port, "{intervalMs: 1000}"), hosts)) {
            assertThat(status(dp, "api").resolvedAddress()).isEqualTo("127.0.0.1");
            Load load = Load.start(dp.address("http").getPort(), CLIENTS);
            try (load) {
                runFor(load, 200);
                await().atMost(WAIT).until(() -> old.checks() > 0);
                assertThat(now.requestsBesideChecks() + now.checks()).isZero();

                hosts.write("127.0.0.2 api.test");
                await().atMost(WAIT).until(() -> load.answeredBy("new") > 0 && now.checks() > 0);
                ServerHealthStatus s = status(dp, "api");
                assertThat(s.resolvedAddress()).isEqualTo("127.0.0.2");
                assertThat(s.address()).isEqualTo("api.test");
                assertThat(s.state()).isEqualTo(HealthState.UP);

                runFor(load, 200); // requests in flight at the change have long ended
                int oldRequests = old.requestsBesideChecks();
                int oldChecks = old.checks();
                runFor(load, 400);
                assertThat(old.requestsBesideChecks()).as("requests to the old address after the drain").isEqualTo(oldRequests);
                assertThat(old.checks()).as("checks of the old address after the change").isEqualTo(oldChecks);
            }
            System.out.printf("DNS change under load: %d requests from %d clients, %d failed (old %d, new %d)%n",
                    load.sent(), CLIENTS, load.failures().size(), load.answeredBy("old"), load.answeredBy("new"));
            assertThat(load.failures()).isEmpty();
            assertThat(load.answeredBy("old")).isPositive();
            assertThat(dp.metrics().getCounters().get("duet_server_address_changes_total{pool=\"p\",server=\"api\"}")
                    .getCount()).isEqualTo(1);
        }
    }

    // A lookup that fails keeps the last good address for the hold time and says so in the status, traffic going
    // on unharmed; after the hold the server is out of service (503); a good lookup brings it back.
    @Test
    void failedLookupHoldsTheLastGoodAddress() throws Exception {
        int port = LoopbackPorts.commonFree("127.0.0.1", "127.0.0.2");
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.1 api.test");
        try (StubBackend old = StubBackend.startOn("old", "127.0.0.1", port).body("ok old");
             StubBackend now = StubBackend.startOn("new", "127.0.0.2", port).body("ok new");
             DataPlane dp = start(doc(port, "{intervalMs: 1000, holdOnFailureMs: 4000}"), hosts)) {
            Load load = Load.start(dp.address("http").getPort(), CLIENTS);
            try (load) {
                runFor(load, 100);
                hosts.write("# api.test is gone");
                await().atMost(WAIT).until(() -> status(dp, "api").resolveError() != null);
                ServerHealthStatus held = status(dp, "api");
                assertThat(held.resolveError()).contains("api.test");
                assertThat(held.resolvedAddress()).isEqualTo("127.0.0.1");
                assertThat(held.state()).isEqualTo(HealthState.UP);
                runFor(load, 200);
                assertThat(status(dp, "api").resolvedAddress()).as("still held").isEqualTo("127.0.0.1");
            }
            System.out.printf("failed lookups within the hold: %d requests, %d failed%n", load.sent(),
                    load.failures().size());
            assertThat(load.failures()).isEmpty();

            await().atMost(WAIT).until(() -> status(dp, "api").resolvedAddress() == null);
            ServerHealthStatus dropped = status(dp, "api");
            assertThat(dropped.state()).isEqualTo(HealthState.MAINTENANCE);
            assertThat(dropped.available()).isFalse();
            assertThat(dropped.reason()).startsWith("no address: api.test does not resolve");
            assertThat(get(dp).statusCode()).isEqualTo(503);

            hosts.write("127.0.0.2 api.test");
            await().atMost(WAIT).until(() -> status(dp, "api").state() == HealthState.UP);
            assertThat(status(dp, "api").resolveError()).isNull();
            assertThat(get(dp).headers().firstValue("X-Backend")).hasValue("new");
        }
    }

    // A reload that keeps the server keeps following its name, with its address and kept-alive connections; one
    // that changes its resolve settings follows it afresh, publishing the server with its address (no gap).
    @Test
    void reloadKeepsTheNameWithItsConnections() throws Exception {
        int port = LoopbackPorts.commonFree("127.0.0.1");
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.1 api.test");
        try (StubBackend old = StubBackend.startOn("old", "127.0.0.1", port).body("ok old");
             DataPlane dp = start(doc(port, "{intervalMs: 1000}"), hosts)) {
            assertThat(get(dp).statusCode()).isEqualTo(200);
            assertThat(dp.openConnections("p", "api")).hasValueSatisfying(n -> assertThat(n).isPositive());
            dp.apply(doc(2, port, "{intervalMs: 1000}"));
            assertThat(dp.openConnections("p", "api")).as("kept across the reload")
                    .hasValueSatisfying(n -> assertThat(n).isPositive());
            dp.apply(doc(3, port, "{intervalMs: 2000}"));
            assertThat(dp.openConnections("p", "api")).as("a new follower, new connections").hasValue(0);
            assertThat(status(dp, "api").resolvedAddress()).isEqualTo("127.0.0.1");
            assertThat(status(dp, "api").state()).isEqualTo(HealthState.UP);
            assertThat(get(dp).headers().firstValue("X-Backend")).hasValue("old");
        }
    }

    // A server down at its old address is judged by checks of its new one, the first of them at once: up after
    // `rise` passes, with traffic going to the new address.
    @Test
    void downServerComesUpAtItsNewAddress() throws Exception {
        int port = LoopbackPorts.commonFree("127.0.0.1", "127.0.0.2");
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.1 api.test"); // nothing listens there
        try (StubBackend now = StubBackend.startOn("new", "127.0.0.2", port).body("ok new");
             DataPlane dp = start(doc(port, "{intervalMs: 1000}"), hosts)) {
            await().atMost(WAIT).until(() -> status(dp, "api").state() == HealthState.DOWN);
            assertThat(status(dp, "api").reason()).contains("connection refused");
            hosts.write("127.0.0.2 api.test");
            await().atMost(WAIT).until(() -> status(dp, "api").state() == HealthState.UP);
            assertThat(status(dp, "api").reason()).startsWith("2 check(s) passed");
            assertThat(get(dp).headers().firstValue("X-Backend")).hasValue("new");
        }
    }

    // A name with several addresses expands to one server per address (api#1, api#2, ...; up to maxAddresses), each
    // with its own health checks; an address leaving the name takes its server out, without failing a request.
    @Test
    void severalAddressesBecomeSeveralServers() throws Exception {
        int port = LoopbackPorts.commonFree("127.0.0.1", "127.0.0.2");
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.2 api.test", "127.0.0.1 api.test");
        try (StubBackend one = StubBackend.startOn("one", "127.0.0.1", port).body("ok one");
             StubBackend two = StubBackend.startOn("two", "127.0.0.2", port).body("ok two");
             DataPlane dp = start(doc(port, "{intervalMs: 1000, maxAddresses: 3}"), hosts)) {
            assertThat(dp.health().status("p").servers()).extracting(ServerHealthStatus::server,
                    ServerHealthStatus::resolvedAddress, ServerHealthStatus::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("api#1", "127.0.0.1", HealthState.UP),
                    org.assertj.core.groups.Tuple.tuple("api#2", "127.0.0.2", HealthState.UP),
                    org.assertj.core.groups.Tuple.tuple("api#3", null, HealthState.MAINTENANCE));
            assertThat(status(dp, "api#3").reason()).contains("fewer addresses");
            Load load = Load.start(dp.address("http").getPort(), CLIENTS);
            try (load) {
                await().atMost(WAIT).until(() -> load.answeredBy("one") > 50 && load.answeredBy("two") > 50
                        && one.checks() > 0 && two.checks() > 0);
                hosts.write("127.0.0.2 api.test");
                await().atMost(WAIT).until(() -> status(dp, "api#1").resolvedAddress() == null);
                assertThat(status(dp, "api#1").state()).isEqualTo(HealthState.MAINTENANCE);
                runFor(load, 200);
                int oneRequests = one.requestsBesideChecks();
                runFor(load, 300);
                assertThat(one.requestsBesideChecks()).isEqualTo(oneRequests);
            }
            System.out.printf("address leaving a name of two under load: %d requests, %d failed%n", load.sent(),
                    load.failures().size());
            assertThat(load.failures()).isEmpty();
            assertThat(status(dp, "api#2").resolvedAddress()).isEqualTo("127.0.0.2");
        }
    }
}
