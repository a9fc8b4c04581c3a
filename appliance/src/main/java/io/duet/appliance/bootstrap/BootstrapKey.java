package io.duet.appliance.bootstrap;

import java.util.Locale;

/**
 * The keys of the node bootstrap ({@code duet.properties}). Each has an environment variable that overrides it:
 * {@code DUET_} plus the key in upper case with dots as underscores ({@code node.id} -> {@code DUET_NODE_ID}).
 * The commented file {@code io/duet/appliance/duet.properties} documents every key; a test keeps both in step.
 */
public enum BootstrapKey {
    NODE_ID("node.id", null),
    DATA_DIR("data.dir", "./duet-data"),
    CONFIG_FILE("config.file", "config.json"),
    PROXY_ADDRESS("proxy.address", "0.0.0.0"),
    PROXY_PORT("proxy.port", "8080"),
    PROXY_TLS_PORT("proxy.tls.port", "8443"),
    MANAGEMENT_ADDRESS("management.address", "127.0.0.1"),
    MANAGEMENT_PORT("management.port", "9901"),
    ADMIN_ADDRESS("admin.address", "0.0.0.0"),
    ADMIN_PORT("admin.port", "9443"),
    IO_THREADS("io.threads", "0"),
    METRICS_HISTORY_PERIOD_MS("metrics.history.period.ms", "5000"),
    CLUSTER_MEMBERS("cluster.members", ""),
    CLUSTER_INTERFACE("cluster.interface", ""),
    CLUSTER_JOIN_PORT("cluster.join.port", "9701"),
    LOG_LEVEL("log.level", "INFO");

    private final String key;
    private final String defaultValue;

    BootstrapKey(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    /** The property name, e.g. {@code node.id}. */
    public String key() {
        return key;
    }

    /** The embedded default; {@code null} when it is computed at start ({@code node.id}: the host name). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The overriding environment variable, e.g. {@code DUET_NODE_ID}. */
    String envName() {
        return "DUET_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static BootstrapKey of(String key) {
        for (BootstrapKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
