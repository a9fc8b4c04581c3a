package io.duet.proxy.ratelimit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * A bounded measurement, not a test: a limit's table at 1,000,000 distinct client keys. Prints the heap the table
 * takes and the CPU time per lookup (the thread's CPU clock) for two runs: a table of 1,000,000 keys filled by
 * 1,000,000 clients, and the default table (100,000 keys) under the same 1,000,000 clients, which evicts.
 * Run: {@code java -cp proxy/target/classes:proxy/target/test-classes io.duet.proxy.ratelimit.LimitTableHarness}.
 */
public final class LimitTableHarness {
    private static final int CLIENTS = 1_000_000;

    private LimitTableHarness() {
    }

    public static void main(String[] args) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int maxKeys : new int[]{1_000_000, 100_000}) {
            System.gc();
            long before = mem.getHeapMemoryUsage().getUsed();
            LimitTable t = new LimitTable(maxKeys);
            long iv = 60_000_000_000L / 100; // 100 per minute
            long now = 3_600_000_000_000L;
            var threads = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 3; round++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long refused = 0;
                for (int i = 0; i < CLIENTS; i++) {
                    int ipv4 = 0x0a000000 + i; // 10.0.0.0 onwards: one million distinct clients
                    if (t.acquire(RequestKeys.mix(ipv4 * 0x100000001b3L + 1), now, iv, 99 * iv, 0) < 0) {
                        refused++;
                    }
                }
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                System.out.printf("maxKeys %,d round %d: %.0f ns CPU per lookup, %d refused%n", maxKeys, round,
                        (double) cpu / CLIENTS, refused);
            }
            System.gc();
            long after = mem.getHeapMemoryUsage().getUsed();
            System.out.printf("maxKeys %,d: capacity %,d slots, live keys %,d, evictions %,d, heap %.1f MiB%n",
                    maxKeys, t.capacity(), t.liveKeys(now), t.evictions(), (after - before) / 1048576.0);
            System.out.println();
        }
    }
}
