package io.duet.proxy.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/**
 * A handful of process and JVM gauges read from the platform MXBeans when scraped: heap and non-heap memory,
 * threads, GC collections and time per collector, uptime, CPU time and open file descriptors (where the JVM offers
 * them). Written by hand rather than with metrics-jvm: ten gauges do not justify a dependency.
 */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    /** Registers the gauges (idempotent: existing gauges of the same names are kept). Call once at startup. */
    public static void registerInto(MetricRegistry registry) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        gauge(registry, "jvm_memory_heap_used_bytes", () -> memory.getHeapMemoryUsage().getUsed());
        gauge(registry, "jvm_memory_heap_committed_bytes", () -> memory.getHeapMemoryUsage().getCommitted());
        gauge(registry, "jvm_memory_heap_max_bytes", () -> memory.getHeapMemoryUsage().getMax());
        gauge(registry, "jvm_memory_nonheap_used_bytes", () -> memory.getNonHeapMemoryUsage().getUsed());
        gauge(registry, "jvm_threads_live", threads::getThreadCount);
        gauge(registry, "jvm_threads_daemon", threads::getDaemonThreadCount);
        gauge(registry, "jvm_threads_peak", threads::getPeakThreadCount);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gauge(registry, MetricName.encode("jvm_gc_collections", "gc", gc.getName()), gc::getCollectionCount);
            gauge(registry, MetricName.encode("jvm_gc_collection_seconds", "gc", gc.getName()),
                    () -> gc.getCollectionTime() / 1000.0);
        }
        gauge(registry, "process_uptime_seconds", () -> runtime.getUptime() / 1000.0);
        gauge(registry, "process_available_processors", os::getAvailableProcessors);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            gauge(registry, "process_cpu_seconds", () -> sun.getProcessCpuTime() / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            gauge(registry, "process_open_fds", unix::getOpenFileDescriptorCount);
            gauge(registry, "process_max_fds", unix::getMaxFileDescriptorCount);
        }
    }

    private static void gauge(MetricRegistry registry, String name, Gauge<Number> gauge) {
        registry.gauge(name, () -> gauge);
    }
}
