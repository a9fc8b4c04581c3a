package io.duet.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.jmx.ObjectNameFactory;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Exposes a registry over JMX with object names derived from the labelled names: the family
 * {@code duet_<type>_<name>} with labels becomes {@code io.duet:type=<type>,name=<name>,<label>=<value>,...};
 * e.g. {@code duet_route_requests_total{vhost="api",route="users"}} becomes
 * {@code io.duet:type=route,name=requests_total,vhost=api,route=users}. Values that ObjectName does not accept bare
 * ({@code , = : " * ? \n}) are quoted with {@link ObjectName#quote}. Families without the {@code duet_} prefix get
 * {@code type=} their first segment ({@code jvm_threads_live}: {@code type=jvm,name=threads_live}). A label named
 * {@code type} or {@code name} is renamed {@code label_type}/{@code label_name}.
 *
 * <p>Metrics added to or removed from the registry later appear and disappear in JMX by themselves.
 * {@link #start} and {@link #close} are for the startup/shutdown thread.
 */
public final class JmxExposure implements AutoCloseable {
    /** The JMX domain. */
    public static final String DOMAIN = "io.duet";

    private final JmxReporter reporter;

    private JmxExposure(JmxReporter reporter) {
        this.reporter = reporter;
    }

    /** Starts exposing the registry in the platform MBean server. */
    public static JmxExposure start(MetricRegistry registry) {
        return start(registry, ManagementFactory.getPlatformMBeanServer());
    }

    /** Starts exposing the registry in an MBean server. */
    public static JmxExposure start(MetricRegistry registry, MBeanServer server) {
        JmxReporter reporter = JmxReporter.forRegistry(registry)
                .registerWith(server)
                .inDomain(DOMAIN)
                .createsObjectNamesWith(new LabelledObjectNames())
                .build();
        reporter.start();
        return new JmxExposure(reporter);
    }

    /** Unregisters every MBean this exposure registered. */
    @Override
    public void close() {
        reporter.close();
    }

    /** The object name of a Dropwizard name in the {@link #DOMAIN} domain, as registered by this exposure. */
    public static ObjectName objectName(String dropwizardName) {
        return new LabelledObjectNames().createName("", DOMAIN, dropwizardName);
    }

    static final class LabelledObjectNames implements ObjectNameFactory {
        @Override
        public ObjectName createName(String metricType, String domain, String dropwizardName) {
            MetricName n = MetricName.parse(dropwizardName);
            String family = n.family();
            String rest = family.startsWith("duet_") ? family.substring("duet_".length()) : family;
            int sep = rest.indexOf('_');
            String type = sep > 0 ? rest.substring(0, sep) : (family.startsWith("duet_") ? "duet" : "other");
            String name = sep > 0 ? rest.substring(sep + 1) : rest;
            StringBuilder sb = new StringBuilder(domain.length() + dropwizardName.length() + 16);
            sb.append(domain).append(":type=").append(value(type)).append(",name=").append(value(name));
            for (MetricName.Label l : n.labels()) {
                String key = l.name().equals("type") || l.name().equals("name") ? "label_" + l.name() : l.name();
                sb.append(',').append(key).append('=').append(value(l.value()));
            }
            try {
                return new ObjectName(sb.toString());
            } catch (MalformedObjectNameException e) {
                try {
                    return new ObjectName(domain, "name", ObjectName.quote(dropwizardName));
                } catch (MalformedObjectNameException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }

        private static String value(String v) {
            if (v.isEmpty()) {
                return ObjectName.quote(v);
            }
            for (int i = 0; i < v.length(); i++) {
                switch (v.charAt(i)) {
                    case ',', '=', ':', '"', '*', '?', '\n' -> {
                        return ObjectName.quote(v);
                    }
                    default -> {
                    }
                }
            }
            return v;
        }
    }
}
