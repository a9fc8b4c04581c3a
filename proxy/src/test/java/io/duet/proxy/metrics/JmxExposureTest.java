package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class JmxExposureTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    // Labelled names become io.duet:type=...,name=...,label=value MBeans whose attributes read the live metric.
    @Test
    void labelledMetricsAreReadableThroughPlatformMBeanServer() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        RouteMetrics route = metrics.forRoute("api", "users");
        ServerMetrics awkward = metrics.forServer("web", "b1:8080,eu=1");
        try (JmxExposure ignored = JmxExposure.start(registry, server)) {
            route.requestStarted();
            route.requestStarted();
            route.requestFinished(200, 1_000_000);
            awkward.connectErrors().inc();

            ObjectName requests = new ObjectName("io.duet:type=route,name=requests_total,vhost=api,route=users");
            assertThat(server.getAttribute(requests, "Count")).isEqualTo(2L);
            ObjectName twoXx = new ObjectName("io.duet:type=route,name=responses_total,vhost=api,route=users,class=2xx");
            assertThat(server.getAttribute(twoXx, "Count")).isEqualTo(1L);
            ObjectName latency = new ObjectName(
                    "io.duet:type=route,name=request_duration_seconds,vhost=api,route=users");
            assertThat(server.getAttribute(latency, "Count")).isEqualTo(1L);
            // Rates are still exposed (computed when read): the request meter's and the latency timer's.
            assertThat((Double) server.getAttribute(requests, "MeanRate")).isPositive();
            assertThat(server.getAttribute(requests, "OneMinuteRate")).isInstanceOf(Double.class);
            assertThat((Double) server.getAttribute(latency, "MeanRate")).isPositive();
            assertThat((Double) server.getAttribute(latency, "Max")).isEqualTo(1.0); // 1 ms, in milliseconds
            ObjectName active = new ObjectName("io.duet:type=route,name=active_requests,vhost=api,route=users");
            assertThat(server.getAttribute(active, "Count")).isEqualTo(1L);

            ObjectName quoted = new ObjectName("io.duet:type=server,name=connect_errors_total,pool=web,server="
                    + ObjectName.quote("b1:8080,eu=1"));
            assertThat(server.getAttribute(quoted, "Count")).isEqualTo(1L);
            assertThat(JmxExposure.objectName(awkward.metricNames().get(0)).getKeyProperty("server"))
                    .isEqualTo(ObjectName.quote("b1:8080,eu=1"));

            // Removing the bundle on reload unregisters its MBeans.
            metrics.retainOnly(java.util.List.of(route));
            assertThat(server.isRegistered(quoted)).isFalse();
            assertThat(server.isRegistered(requests)).isTrue();
        }
        assertThat(server.queryNames(new ObjectName("io.duet:type=route,*"), null)).isEmpty();
    }

    // Names not starting with duet_ take their first segment as type.
    @Test
    void foreignNamesGetFirstSegmentAsType() throws Exception {
        assertThat(JmxExposure.objectName("jvm_threads_live"))
                .isEqualTo(new ObjectName("io.duet:type=jvm,name=threads_live"));
        assertThat(JmxExposure.objectName(MetricName.encode("duet_pool_x", "name", "n", "type", "t")))
                .isEqualTo(new ObjectName("io.duet:type=pool,name=x,label_name=n,label_type=t"));
    }
}
