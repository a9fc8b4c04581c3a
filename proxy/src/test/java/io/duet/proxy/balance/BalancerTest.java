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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BalancerTest {
    private final ConnectionPools connectionPools = new ConnectionPools(1, Balancers::of);
    private final ProxyMetrics metrics = new ProxyMetrics(new MetricRegistry());

    @AfterEach
    void close() {
        connectionPools.close();
    }

    /** Builds a pool the way a snapshot does; nothing connects until a request is forwarded. */
    private BackendPool pool(String balancer, Server... servers) {
        HashKey key = balancer.equals("hash") ? new HashKey(HashKey.PATH, null) : null;
        return connectionPools.build(new Pool("p", balancer, List.of(servers)).withHashKey(key), 1_000, metrics);
    }

    private static Server server(String id, int port, int weight, boolean backup) {
        return new Server(id, "127.0.0.1", port, weight, backup);
    }

    private static List<String> picks(LoadBalancer lb, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(lb.pick(RequestView.NONE, 0L).id());
        }
        return out;
    }

    private static long mask(BackendServer... tried) {
        long m = 0;
        for (BackendServer s : tried) {
            m |= 1L << s.index();
        }
        return m;
    }

    // Round robin visits every server exactly once per cycle, in document order.
    @Test
    void roundRobinVisitsEachServerOncePerCycle() {
        BackendPool p = pool(Pool.ROUND_ROBIN, server("a", 1001, 1, false), server("b", 1002, 3, false),
                server("c", 1003, 1, false));
        List<String> seq = picks(p.balancer(), 30);
        for (int cycle = 0; cycle < 10; cycle++) {
            assertThat(seq.subList(cycle * 3, cycle * 3 + 3)).containsExactly("a", "b", "c");
        }
    }

    // Smooth weighted round robin with weights 5,1,1 gives NGINX's a a b a c a a in every cycle.
    @Test
    void smoothWeightedMatchesNginxSequence() {
        BackendPool p = pool(Pool.WEIGHTED_ROUND_ROBIN, server("a", 1001, 5, false), server("b", 1002, 1, false),
                server("c", 1003, 1, false));
        List<String> seq = picks(p.balancer(), 70);
        for (int cycle = 0; cycle < 10; cycle++) {
            assertThat(seq.subList(cycle * 7, cycle * 7 + 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
        }
    }

    // The weighted schedule is deterministic: over 10,000 picks (a whole number of cycles) shares equal weights exactly.
    @Test
    void smoothWeightedSharesAreExact() {
        BackendPool p = pool(Pool.WEIGHTED_ROUND_ROBIN, server("a", 1001, 5, false), server("b", 1002, 3, false),
                server("c", 1003, 2, false));
        Map<String, Integer> counts = new HashMap<>();
        for (String id : picks(p.balancer(), 10_000)) {
            counts.merge(id, 1, Integer::sum);
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5_000, "b", 3_000, "c", 2_000));
    }

    // Weights 5,1,1: 10,000 picks are 1,428 whole cycles of 7 (a 5, b 1, c 1 each) plus the first four: a a b a.
    @Test
    void smoothWeightedSharesOverPartialCycle() {
        BackendPool p = pool(Pool.WEIGHTED_ROUND_ROBIN, server("a", 1001, 5, false), server("b", 1002, 1, false),
                server("c", 1003, 1, false));
        Map<String, Integer> counts = new HashMap<>();
        for (String id : picks(p.balancer(), 10_000)) {
            counts.merge(id, 1, Integer::sum);
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1_428 * 5 + 3, "b", 1_428 + 1, "c", 1_428));
    }

    // A server of weight 0 takes no new requests, whatever the balancer.
    @Test
    void weightZeroNeverPicked() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool p = pool(balancer, server("a", 1001, 2, false), server("zero", 1002, 0, false),
                    server("c", 1003, 1, false));
            List<String> seen = picks(p.balancer(), 1_000);
            assertThat(seen).as(balancer).doesNotContain("zero");
            if (balancer.endsWith("round-robin")) {
                assertThat(seen).as(balancer).contains("a", "c");
            }
        }
    }

    // A pool whose only servers have weight 0 has nothing to pick.
    @Test
    void allWeightZeroPicksNothing() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool p = pool(balancer, server("a", 1001, 0, false), server("b", 1002, 0, false));
            assertThat(p.balancer().pick(RequestView.NONE, 0L)).as(balancer).isNull();
        }
    }

    // The exclusion mask skips servers already tried; when every server is excluded there is no pick.
    @Test
    void exclusionMaskSkipsTriedServers() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool p = pool(balancer, server("a", 1001, 1, false), server("b", 1002, 1, false),
                    server("c", 1003, 1, false));
            List<BackendServer> s = p.servers();
            LoadBalancer lb = p.balancer();
            for (int i = 0; i < 10; i++) {
                assertThat(lb.pick(RequestView.NONE, mask(s.get(0))).id()).as(balancer).isIn("b", "c");
                assertThat(lb.pick(RequestView.NONE, mask(s.get(0), s.get(2))).id()).as(balancer).isEqualTo("b");
            }
            assertThat(lb.pick(RequestView.NONE, mask(s.get(0), s.get(1), s.get(2)))).as(balancer).isNull();
            assertThat(lb.pick(RequestView.NONE, -1L)).as(balancer).isNull();
        }
    }

    // A retry after excluding one server still spreads over the others rather than always picking the same one.
    @Test
    void exclusionKeepsRotating() {
        BackendPool p = pool(Pool.ROUND_ROBIN, server("a", 1001, 1, false), server("b", 1002, 1, false),
                server("c", 1003, 1, false), server("d", 1004, 1, false));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            seen.add(p.balancer().pick(RequestView.NONE, mask(p.servers().get(0))).id());
        }
        assertThat(seen).containsExactlyInAnyOrder("b", "c", "d");
    }

    // Backup servers take traffic only when the pool has no primary server.
    @Test
    void backupsOnlyWithoutPrimaries() {
        for (String balancer : Pool.BALANCERS) {
            BackendPool mixed = pool(balancer, server("a", 1001, 1, false), server("spare", 1002, 1, true),
                    server("b", 1003, 1, false));
            assertThat(picks(mixed.balancer(), 100)).as(balancer).doesNotContain("spare");
            assertThat(mixed.balancer().pick(RequestView.NONE, mask(mixed.servers().get(0), mixed.servers().get(2))))
                    .as(balancer + ": excluding every primary does not fall through to a backup").isNull();

            BackendPool onlyBackups = pool(balancer, server("s1", 1004, 1, true), server("s2", 1005, 1, true));
            assertThat(picks(onlyBackups.balancer(), 10)).as(balancer).isSubsetOf("s1", "s2");
        }
    }

    // Server indices follow document order across primaries and backups, so masks name the right server.
    @Test
    void indicesFollowDocumentOrder() {
        BackendPool p = pool(Pool.ROUND_ROBIN, server("a", 1001, 1, false), server("spare", 1002, 1, true),
                server("b", 1003, 1, false));
        assertThat(p.servers()).extracting(BackendServer::index).containsExactly(0, 1, 2);
        assertThat(p.balancer().pick(RequestView.NONE, mask(p.servers().get(0))).id()).isEqualTo("b");
    }

    // An unknown balancer name is refused when the pool is compiled, naming the known ones.
    @Test
    void unknownBalancerRefused() {
        assertThatThrownBy(() -> pool("random", server("a", 1001, 1, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("random").hasMessageContaining(Pool.ROUND_ROBIN);
    }

    // Round robin under contention: 4 threads x 100k picks lose no pick and split evenly (lock-free counter).
    @Test
    void roundRobinIsEvenUnderContention() throws Exception {
        BackendPool p = pool(Pool.ROUND_ROBIN, server("a", 1001, 1, false), server("b", 1002, 1, false),
                server("c", 1003, 1, false));
        LoadBalancer lb = p.balancer();
        int threads = 4;
        int perThread = 100_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<int[]> task = () -> {
                    int[] counts = new int[3];
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        counts[lb.pick(RequestView.NONE, 0L).index()]++;
                    }
                    return counts;
                };
                results.add(pool.submit(task));
            }
            int[] total = new int[3];
            for (Future<int[]> f : results) {
                int[] c = f.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    total[i] += c[i];
                }
            }
            int all = threads * perThread;
            assertThat(total[0] + total[1] + total[2]).isEqualTo(all);
            for (int c : total) {
                assertThat((double) c / all).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(0.01));
                // One shared counter: the split is exact up to the remainder.
                assertThat(c).isBetween(all / 3, all / 3 + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
