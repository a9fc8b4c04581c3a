package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;
import io.duet.proxy.pool.LoadBalancer;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.HashKey;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.proxy.metrics.ProxyMetrics;
import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.duet.proxy.pool.ConnectionPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Statistical and behavioural tests of every balancing algorithm, on pools compiled the way a snapshot does. */
class AlgorithmsTest {
    private static final HashKey BY_PATH = new HashKey(HashKey.PATH, null);

    private final List<ConnectionPools> nodes = new ArrayList<>();
    private final ConnectionPools connectionPools = node();
    private final ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());

    @AfterEach
    void close() {
        nodes.forEach(ConnectionPools::close);
    }

    private ConnectionPools node() {
        ConnectionPools c = new ConnectionPools(1, Balancers::of);
        nodes.add(c);
        return c;
    }

    private BackendPool pool(ConnectionPools on, String balancer, HashKey key, List<Server> servers) {
        // One pool name per balancer: servers of one pool keep their live state across builds, as across reloads.
        return on.build(new Pool("p-" + balancer, balancer, servers).withHashKey(key), 1_000, metrics);
    }

    private BackendPool pool(String balancer, HashKey key, Server... servers) {
        return pool(connectionPools, balancer, key, List.of(servers));
    }

    private BackendPool pool(String balancer, Server... servers) {
        return pool(balancer, balancer.equals("hash") ? BY_PATH : null, servers);
    }

    /** A server whose port is derived from its id, so the same id is the same server in every document. */
    private static Server server(String id, int weight) {
        return server(id, weight, false);
    }

    private static Server server(String id, int weight, boolean backup) {
        return new Server(id, "127.0.0.1", 20_000 + Math.floorMod(id.hashCode(), 20_000), weight, backup);
    }

    private static List<Server> servers(int n) {
        List<Server> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(server("s" + i, 1));
        }
        return out;
    }

    private static BackendServer byId(BackendPool p, String id) {
        return p.servers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** Picks n times (request i from {@code requests}), counting picks per server id; each request ends at once. */
    private static Map<String, Integer> counts(LoadBalancer lb, int n, IntFunction<RequestView> requests) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            BackendServer s = lb.pick(requests.apply(i), 0L);
            counts.merge(s == null ? "none" : s.id(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Integer> counts(LoadBalancer lb, int n) {
        return counts(lb, n, i -> TestRequest.path("/k" + i));
    }

    /** Picks n times and keeps every request in flight; returns the servers' in-flight counts. */
    private static Map<String, Integer> hold(BackendPool p, int n) {
        for (int i = 0; i < n; i++) {
            p.balancer().pick(TestRequest.path("/k" + i), 0L).state().active().incrementAndGet();
        }
        Map<String, Integer> out = new HashMap<>();
        p.servers().forEach(s -> out.put(s.id(), s.state().active().get()));
        return out;
    }

    /** The server of every key /k0../k(n-1). */
    private static Map<String, String> mapping(BackendPool p, int n) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put("/k" + i, p.balancer().pick(TestRequest.path("/k" + i), 0L).id());
        }
        return out;
    }

    private static double moved(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count() / (double) before.size();
    }

    // ---- round robin family with live state

    // A server that goes down is skipped without unbalancing the others: a and c share evenly, then b is back.
    @Test
    void roundRobinSkipsUnavailableEvenly() {
        BackendPool p = pool(Pool.ROUND_ROBIN, server("a", 1), server("b", 1), server("c", 1));
        byId(p, "b").state().setAvailable(false);
        assertThat(counts(p.balancer(), 1_000)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 500, "c", 500));
        byId(p, "b").state().setAvailable(true);
        assertThat(counts(p.balancer(), 999)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 333, "b", 333, "c", 333));
    }

    // Slow start: a server at weight factor 0.25 gets a quarter of its weighted share, with and without weights.
    @Test
    void slowStartScalesShares() {
        for (String balancer : List.of(Pool.ROUND_ROBIN, Pool.WEIGHTED_ROUND_ROBIN)) {
            BackendPool p = pool(balancer, server("a", 1), server("b", 1));
            byId(p, "b").state().setWeightFactor(0.25);
            Map<String, Integer> c = counts(p.balancer(), 20_000);
            assertThat(c.get("b") / 20_000.0).as(balancer).isCloseTo(0.25 / 1.25, offset(0.01));
            byId(p, "b").state().setWeightFactor(1.0);
            assertThat(counts(p.balancer(), 20_000).get("b") / 20_000.0).as(balancer).isCloseTo(0.5, offset(0.001));
        }
    }

    // ---- least connections family

    // Least-connections never sends to a busy server while an idle one exists; idle ones share evenly (random ties).
    @Test
    void leastConnectionsAvoidsBusyServer() {
        BackendPool p = pool("least-connections", server("a", 1), server("busy", 1), server("c", 1));
        byId(p, "busy").state().active().set(50);
        Map<String, Integer> c = counts(p.balancer(), 10_000);
        assertThat(c).doesNotContainKey("busy");
        assertThat(c.get("a") / 10_000.0).isCloseTo(0.5, offset(0.03));
    }

    // Requests held in flight spread evenly under least-connections and by weight (3:2:1) under the weighted one.
    @Test
    void inFlightFollowsWeights() {
        Map<String, Integer> plain = hold(pool("least-connections", server("a", 1), server("b", 1), server("c", 1)), 600);
        assertThat(plain.values()).allSatisfy(v -> assertThat(v).isBetween(199, 201));
        Map<String, Integer> weighted = hold(pool("weighted-least-connections", server("w3", 3), server("w2", 2),
                server("w1", 1)), 600);
        assertThat(weighted.get("w3")).isBetween(298, 302);
        assertThat(weighted.get("w2")).isBetween(198, 202);
        assertThat(weighted.get("w1")).isBetween(98, 102);
    }

    // Weighted least-connections applies slow start: a server at factor 0.5 carries half the requests of its peer.
    @Test
    void weightedLeastConnectionsSlowStart() {
        BackendPool p = pool("weighted-least-connections", server("a", 2), server("b", 2));
        byId(p, "b").state().setWeightFactor(0.5);
        Map<String, Integer> held = hold(p, 300);
        assertThat(held.get("a")).isBetween(198, 202);
        assertThat(held.get("b")).isBetween(98, 102);
    }

    // Power of two choices: with loads 0 < 10 < 20 < 30 a server wins its random pair with probability 3/6, 2/6,
    // 1/6 and 0 (it wins against every less loaded... every more loaded one of the three others).
    @Test
    void twoChoicesDistribution() {
        BackendPool p = pool("random-two-choices", server("l0", 1), server("l10", 1), server("l20", 1),
                server("l30", 1));
        byId(p, "l10").state().active().set(10);
        byId(p, "l20").state().active().set(20);
        byId(p, "l30").state().active().set(30);
        int n = 60_000;
        Map<String, Integer> c = counts(p.balancer(), n);
        assertThat(c).doesNotContainKey("l30");
        assertThat(c.get("l0") / (double) n).isCloseTo(3 / 6.0, offset(0.015));
        assertThat(c.get("l10") / (double) n).isCloseTo(2 / 6.0, offset(0.015));
        assertThat(c.get("l20") / (double) n).isCloseTo(1 / 6.0, offset(0.015));
    }

    // ---- least response time

    // Least-response-time sends idle traffic to the fast server, and under load about latency-ratio times more.
    @Test
    void leastResponseTimePrefersFastServer() {
        BackendPool p = pool("least-response-time", server("fast", 1), server("slow", 1));
        long now = System.nanoTime();
        byId(p, "fast").state().recordLatency(1_000_000, now, ResponseLatency.DECAY_NANOS);
        byId(p, "slow").state().recordLatency(20_000_000, now, ResponseLatency.DECAY_NANOS);
        assertThat(counts(p.balancer(), 1_000)).containsExactly(Map.entry("fast", 1_000));
        Map<String, Integer> held = hold(p, 210);
        // Costs equalise when 1 ms x (fast + 1) = 20 ms x (slow + 1): about 200 on fast for 10 on slow.
        assertThat(held.get("slow")).isBetween(8, 12);
    }

    // A server with no sample gets one probe at a time; one slow long ago is tried again once its latency decays.
    @Test
    void leastResponseTimeProbesAndForgives() {
        BackendPool p = pool("least-response-time", server("fast", 1), server("new", 1));
        long now = System.nanoTime();
        byId(p, "fast").state().recordLatency(1_000_000, now, ResponseLatency.DECAY_NANOS);
        BackendServer probe = p.balancer().pick(RequestView.NONE, 0L);
        assertThat(probe.id()).isEqualTo("new");
        probe.state().active().incrementAndGet();
        assertThat(counts(p.balancer(), 100, i -> RequestView.NONE)).containsExactly(Map.entry("fast", 100));

        BackendPool q = pool("least-response-time", server("steady", 1), server("was-slow", 1));
        byId(q, "steady").state().recordLatency(1_000_000, now, ResponseLatency.DECAY_NANOS);
        // One 1 s sample two minutes ago: decayed by e^-12 to about 6 us, below steady's 1 ms.
        byId(q, "was-slow").state().recordLatency(1_000_000_000, now - 120_000_000_000L, ResponseLatency.DECAY_NANOS);
        assertThat(q.balancer().pick(RequestView.NONE, 0L).id()).isEqualTo("was-slow");
    }

    // ---- hashing

    // The same key always reaches the same server, and 20,000 keys spread over 4 servers within 15% of even.
    @Test
    void hashIsStableAndSpreads() {
        BackendPool p = pool("hash", BY_PATH, servers(4).toArray(Server[]::new));
        Map<String, String> first = mapping(p, 20_000);
        assertThat(mapping(p, 20_000)).isEqualTo(first);
        Map<String, Integer> c = counts(p.balancer(), 20_000);
        assertThat(c).hasSize(4);
        assertThat(c.values()).allSatisfy(v -> assertThat(v / 20_000.0).isCloseTo(0.25, offset(0.25 * 0.15)));
    }

    // Weights 1, 2, 3 on the ring take about 1/6, 2/6, 3/6 of the keys (within 15% of each share).
    @Test
    void hashHonoursWeights() {
        BackendPool p = pool("hash", BY_PATH, server("w1", 1), server("w2", 2), server("w3", 3));
        Map<String, Integer> c = counts(p.balancer(), 60_000);
        for (int w = 1; w <= 3; w++) {
            assertThat(c.get("w" + w) / 60_000.0).as("w" + w).isCloseTo(w / 6.0, offset(w / 6.0 * 0.15));
        }
    }

    // Removing one of 10 servers moves only its keys (about 1/10); adding an 11th moves about 1/11, all to it.
    @Test
    void consistentHashRemapsAboutOneInN() {
        List<Server> ten = servers(10);
        Map<String, String> before = mapping(pool(connectionPools, "hash", BY_PATH, ten), 20_000);

        Map<String, String> without = mapping(pool(connectionPools, "hash", BY_PATH, ten.subList(1, 10)), 20_000);
        assertThat(moved(before, without)).isBetween(0.07, 0.13);
        before.forEach((k, s) -> {
            if (!s.equals("s0")) {
                assertThat(without.get(k)).as(k).isEqualTo(s);
            }
        });

        List<Server> eleven = new ArrayList<>(ten);
        eleven.add(server("s10", 1));
        Map<String, String> with = mapping(pool(connectionPools, "hash", BY_PATH, eleven), 20_000);
        assertThat(moved(before, with)).isBetween(0.06, 0.12);
        before.forEach((k, s) -> {
            if (!with.get(k).equals(s)) {
                assertThat(with.get(k)).as(k).isEqualTo("s10");
            }
        });
    }

    // A server going down moves only its keys; when it comes back every key returns to where it was.
    @Test
    void hashFollowsAvailability() {
        BackendPool p = pool("hash", BY_PATH, servers(5).toArray(Server[]::new));
        Map<String, String> before = mapping(p, 5_000);
        byId(p, "s2").state().setAvailable(false);
        Map<String, String> down = mapping(p, 5_000);
        assertThat(down).doesNotContainValue("s2");
        before.forEach((k, s) -> {
            if (!s.equals("s2")) {
                assertThat(down.get(k)).isEqualTo(s);
            }
        });
        byId(p, "s2").state().setAvailable(true);
        assertThat(mapping(p, 5_000)).isEqualTo(before);
    }

    // Two nodes compiling the same document agree on every key, also after a reload that reorders the servers and
    // changes their addresses: the ring depends on ids and weights only.
    @Test
    void hashStableAcrossNodesAndReloads() {
        List<Server> doc = List.of(server("web1", 2), server("web2", 1), server("web3", 1), server("web4", 3));
        Map<String, String> nodeA = mapping(pool(node(), "hash", BY_PATH, doc), 10_000);
        Map<String, String> nodeB = mapping(pool(node(), "hash", BY_PATH, doc), 10_000);
        assertThat(nodeB).isEqualTo(nodeA);

        List<Server> reloaded = new ArrayList<>();
        for (Server s : doc) {
            reloaded.add(0, new Server(s.id(), "127.0.0.2", s.port() + 1, s.weight(), false));
        }
        assertThat(mapping(pool(node(), "hash", BY_PATH, reloaded), 10_000)).isEqualTo(nodeA);
        // The same for source-hash, keyed by client address.
        for (String balancer : List.of("source-hash", "lblc", "lblcr")) {
            Map<String, Integer> a = counts(pool(node(), balancer, null, doc).balancer(), 2_000,
                    i -> TestRequest.client("10.0." + (i / 250) + "." + (i % 250)));
            Map<String, Integer> b = counts(pool(node(), balancer, null, reloaded).balancer(), 2_000,
                    i -> TestRequest.client("10.0." + (i / 250) + "." + (i % 250)));
            assertThat(b).as(balancer).isEqualTo(a);
        }
    }

    // Source hash: one client address, one server; many addresses cover every server.
    @Test
    void sourceHashPinsClients() {
        BackendPool p = pool("source-hash", null, servers(3).toArray(Server[]::new));
        String first = p.balancer().pick(TestRequest.client("192.0.2.7"), 0L).id();
        assertThat(counts(p.balancer(), 100, i -> TestRequest.client("192.0.2.7"))).containsExactly(Map.entry(first, 100));
        assertThat(counts(p.balancer(), 3_000, i -> TestRequest.client("2001:db8::" + Integer.toHexString(i + 1))))
                .containsOnlyKeys("s0", "s1", "s2");
    }

    // Hash by header, cookie and query parameter; a request without the key goes round robin.
    @Test
    void hashKeySources() {
        BackendPool byHeader = pool("hash", new HashKey(HashKey.HEADER, "X-User"), servers(3).toArray(Server[]::new));
        String alice = byHeader.balancer().pick(TestRequest.header("X-User", "alice"), 0L).id();
        assertThat(counts(byHeader.balancer(), 50, i -> new TestRequest(null, "/p" + i, null, Map.of("X-User", "alice"),
                Map.of(), Map.of()))).containsExactly(Map.entry(alice, 50));
        assertThat(counts(byHeader.balancer(), 300, i -> RequestView.NONE))
                .containsExactlyInAnyOrderEntriesOf(Map.of("s0", 100, "s1", 100, "s2", 100));

        BackendPool byCookie = pool("hash", new HashKey(HashKey.COOKIE, "sid"), servers(3).toArray(Server[]::new));
        BackendPool byQuery = pool("hash", new HashKey(HashKey.QUERY, "sid"), servers(3).toArray(Server[]::new));
        for (int i = 0; i < 200; i++) {
            String sid = "session-" + i;
            // The ring is the same, so a cookie, a parameter and a header with the same value agree.
            String viaHeader = pool("hash", new HashKey(HashKey.HEADER, "sid"), servers(3).toArray(Server[]::new))
                    .balancer().pick(TestRequest.header("sid", sid), 0L).id();
            assertThat(byCookie.balancer().pick(new TestRequest(null, "/", null, Map.of(), Map.of("sid", sid), Map.of()),
                    0L).id()).isEqualTo(viaHeader);
            assertThat(byQuery.balancer().pick(new TestRequest(null, "/", "sid=" + sid, Map.of(), Map.of(),
                    Map.of("sid", sid)), 0L).id()).isEqualTo(viaHeader);
        }
    }

    // The uri key includes the query; the path key does not.
    @Test
    void uriKeyIncludesQuery() {
        BackendPool byUri = pool("hash", new HashKey(HashKey.URI, null), servers(8).toArray(Server[]::new));
        BackendPool byPath = pool("hash", BY_PATH, servers(8).toArray(Server[]::new));
        Map<String, Integer> uri = counts(byUri.balancer(), 2_000,
                i -> new TestRequest(null, "/same", "v=" + i, Map.of(), Map.of(), Map.of()));
        Map<String, Integer> path = counts(byPath.balancer(), 2_000,
                i -> new TestRequest(null, "/same", "v=" + i, Map.of(), Map.of(), Map.of()));
        assertThat(uri).hasSize(8);
        assertThat(path).hasSize(1);
    }

    // A retry that excluded the key's server goes to the next server on the ring, the same one every time.
    @Test
    void hashRetryWalksTheRing() {
        BackendPool p = pool("hash", BY_PATH, servers(5).toArray(Server[]::new));
        BackendServer home = p.balancer().pick(TestRequest.path("/x"), 0L);
        BackendServer next = p.balancer().pick(TestRequest.path("/x"), 1L << home.index());
        assertThat(next).isNotSameAs(home);
        for (int i = 0; i < 20; i++) {
            assertThat(p.balancer().pick(TestRequest.path("/x"), 1L << home.index())).isSameAs(next);
        }
        // The retry target is where the key goes when its home is down.
        home.state().setAvailable(false);
        assertThat(p.balancer().pick(TestRequest.path("/x"), 0L)).isSameAs(next);
    }

    // Slow start on the ring: a server at factor 0.5 takes about half its keys back, all of them at 1.0.
    @Test
    void hashSlowStartTakesKeysGradually() {
        BackendPool p = pool("hash", BY_PATH, servers(4).toArray(Server[]::new));
        Map<String, String> full = mapping(p, 20_000);
        long home = full.values().stream().filter("s3"::equals).count();
        byId(p, "s3").state().setWeightFactor(0.5);
        Map<String, String> half = mapping(p, 20_000);
        long ramping = half.values().stream().filter("s3"::equals).count();
        assertThat(ramping / (double) home).isBetween(0.35, 0.65);
        half.forEach((k, s) -> {
            if (s.equals("s3")) {
                assertThat(full.get(k)).isEqualTo("s3"); // a ramping server only takes its own keys back
            }
        });
        byId(p, "s3").state().setWeightFactor(1.0);
        assertThat(mapping(p, 20_000)).isEqualTo(full);
    }

    // ---- lblc and lblcr

    private static Lblc lblc(BackendPool p, AtomicLong clock) {
        return new Lblc(p.servers(), p.state(), RequestKey.of(null), clock::get);
    }

    private static Lblcr lblcr(BackendPool p, AtomicLong clock) {
        return new Lblcr(p.servers(), p.state(), RequestKey.of(null), clock::get);
    }

    // lblc: a key stays on its ring server until that server is overloaded, then moves to the least loaded and
    // stays there; after five idle minutes it starts again from its ring server.
    @Test
    void lblcKeepsKeyUntilOverloaded() {
        BackendPool p = pool("lblc", servers(3).toArray(Server[]::new));
        AtomicLong clock = new AtomicLong();
        Lblc lb = lblc(p, clock);
        RequestView key = TestRequest.path("/video/42");
        BackendServer home = lb.pick(key, 0L);
        assertThat(home).isSameAs(p.balancer().pick(key, 0L));
        assertThat(home.id()).as("the ring owner, as hash says").isEqualTo(pool("hash", BY_PATH,
                servers(3).toArray(Server[]::new)).balancer().pick(key, 0L).id());
        home.state().active().set(2); // 2 > 2 x (0 + 1) is false: not overloaded yet
        assertThat(lb.pick(key, 0L)).isSameAs(home);
        home.state().active().set(3);
        BackendServer moved = lb.pick(key, 0L);
        assertThat(moved).isNotSameAs(home);
        home.state().active().set(0);
        assertThat(lb.pick(key, 0L)).as("stays where it moved").isSameAs(moved);
        clock.addAndGet(Lblc.IDLE_NANOS + 1);
        assertThat(lb.pick(key, 0L)).as("idle: back to its ring server").isSameAs(home);
    }

    // lblc spreads a hot pool: keys whose server is overloaded go elsewhere; a down server loses its keys at once.
    @Test
    void lblcLeavesDownServer() {
        BackendPool p = pool("lblc", servers(3).toArray(Server[]::new));
        Lblc lb = lblc(p, new AtomicLong());
        RequestView key = TestRequest.path("/a");
        BackendServer home = lb.pick(key, 0L);
        home.state().setAvailable(false);
        BackendServer other = lb.pick(key, 0L);
        assertThat(other).isNotSameAs(home);
        home.state().setAvailable(true);
        assertThat(lb.pick(key, 0L)).as("the placement stays with the server that took over").isSameAs(other);
    }

    // lblcr: the set starts with the ring server, grows by the least loaded when all members are overloaded,
    // sends to its least loaded member, and drops its most loaded member after a minute without change.
    @Test
    void lblcrGrowsAndShrinks() {
        BackendPool p = pool("lblcr", servers(4).toArray(Server[]::new));
        AtomicLong clock = new AtomicLong();
        Lblcr lb = lblcr(p, clock);
        RequestView key = TestRequest.path("/hot");
        BackendServer first = lb.pick(key, 0L);
        assertThat(lb.members(key)).containsExactly(first);

        first.state().active().set(5);
        BackendServer second = lb.pick(key, 0L);
        assertThat(second).isNotSameAs(first);
        assertThat(lb.members(key)).containsExactly(first, second);
        second.state().active().set(1);
        assertThat(lb.pick(key, 0L)).as("least loaded member, not overloaded").isSameAs(second);
        assertThat(lb.members(key)).hasSize(2);

        second.state().active().set(5);
        BackendServer third = lb.pick(key, 0L);
        assertThat(third).isNotIn(first, second);
        assertThat(lb.members(key)).containsExactly(first, second, third);

        first.state().active().set(9);
        second.state().active().set(1);
        third.state().active().set(0);
        clock.addAndGet(Lblcr.SHRINK_AFTER_NANOS / 2);
        assertThat(lb.pick(key, 0L)).isSameAs(third);
        assertThat(lb.members(key)).hasSize(3);
        clock.addAndGet(Lblcr.SHRINK_AFTER_NANOS / 2);
        assertThat(lb.pick(key, 0L)).isSameAs(third);
        assertThat(lb.members(key)).as("the most loaded member left").containsExactly(second, third);
    }

    // ---- first available

    // first-available fills servers in document order: 32 requests per unit of weight, then the next one.
    @Test
    void firstAvailableFillsInOrder() {
        BackendPool p = pool("first-available", server("one", 1), server("two", 2), server("three", 1));
        Map<String, Integer> held = hold(p, 32 + 64 + 10);
        assertThat(held).containsExactlyInAnyOrderEntriesOf(Map.of("one", 32, "two", 64, "three", 10));
        byId(p, "one").state().active().set(0);
        assertThat(p.balancer().pick(RequestView.NONE, 0L).id()).isEqualTo("one");
        byId(p, "one").state().setAvailable(false);
        assertThat(p.balancer().pick(RequestView.NONE, 0L).id()).as("two is full").isEqualTo("three");
    }

    // ---- backups and panic, for every algorithm

    // Backups take over only while no primary is available, and hand back as soon as one is.
    @Test
    void backupsOnlyWhileNoPrimaryIsAvailable() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool p = pool(balancer, server("a", 1), server("b", 1), server("spare", 1, true));
            assertThat(counts(p.balancer(), 200)).as(balancer).doesNotContainKey("spare");
            byId(p, "a").state().setAvailable(false);
            byId(p, "b").state().setAvailable(false);
            assertThat(counts(p.balancer(), 200)).as(balancer).containsOnlyKeys("spare");
            byId(p, "b").state().setAvailable(true);
            assertThat(counts(p.balancer(), 200)).as(balancer).containsOnlyKeys("b");
            byId(p, "b").state().setAvailable(false);
            byId(p, "spare").state().setAvailable(false);
            assertThat(counts(p.balancer(), 10)).as(balancer + ": nothing up").containsOnlyKeys("none");
        }
    }

    // In panic every primary takes traffic again, up or not; out of panic only the available ones do.
    @Test
    void panicSpreadsOverEveryPrimary() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool p = pool(balancer, server("a", 1), server("b", 1), server("c", 1), server("spare", 1, true));
            byId(p, "b").state().setAvailable(false);
            byId(p, "c").state().setAvailable(false);
            Map<String, Integer> before = counts(p.balancer(), 3_000);
            assertThat(before).as(balancer).containsOnlyKeys("a");
            p.state().setPanic(true);
            Map<String, Integer> panic = hold(p, 3_000);
            assertThat(panic).as(balancer).containsEntry("spare", 0);
            assertThat(panic.get("b") + panic.get("c")).as(balancer).isGreaterThan(0);
            p.servers().forEach(s -> s.state().active().set(0));
            p.state().setPanic(false);
            assertThat(counts(p.balancer(), 300)).as(balancer).containsOnlyKeys("a");
        }
    }
}
