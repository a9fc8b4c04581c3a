package io.duet.appliance.bootstrap;

import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the node bootstrap with Apache Commons Configuration: a {@link CompositeConfiguration} of three layers,
 * first match wins:
 * <ol>
 *   <li>environment variables {@code DUET_*}, mapped to keys by {@link BootstrapKey#envName()} (only known keys;
 *       a small explicit mapping, because the reverse of "dots to underscores" is ambiguous);</li>
 *   <li>the properties file: {@code --config FILE}, else {@code /etc/duet/duet.properties} if it exists;</li>
 *   <li>the embedded defaults ({@link BootstrapKey#defaultValue()}).</li>
 * </ol>
 * Values may use Commons Configuration interpolation, e.g. {@code data.dir = ${sys:user.home}/duet}.
 * Every invalid value is reported at once ({@code DUET-NODE-0001}, naming the key and where it was set).
 * Called once on the main thread at start; may block on file I/O.
 */
public final class BootstrapReader {
    /** The file the RPM installs; read when present and no {@code --config} is given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/duet/duet.properties");

    public static final String INVALID_VALUE = ApplianceMessage.INVALID_BOOTSTRAP_VALUE.id();
    static final String UNREADABLE_FILE = ApplianceMessage.BOOTSTRAP_UNREADABLE.id();
    static final String UNKNOWN_KEY = ApplianceMessage.UNKNOWN_BOOTSTRAP_KEY.id();

    private static final Logger log = LoggerFactory.getLogger(BootstrapReader.class);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Linux: at most 15 characters (IFNAMSIZ), no whitespace, '/' or ':'. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private final Configuration env;
    private final Configuration file;
    private final String fileName;
    private final CompositeConfiguration all = new CompositeConfiguration();
    private final List<String> problems = new ArrayList<>();

    private BootstrapReader(Map<String, String> environment, PropertiesConfiguration file, String fileName) {
        Map<String, Object> mapped = new HashMap<>();
        for (BootstrapKey k : BootstrapKey.values()) {
            String v = environment.get(k.envName());
            if (v != null) {
                mapped.put(k.key(), v);
            }
        }
        Map<String, Object> defaults = new HashMap<>();
        for (BootstrapKey k : BootstrapKey.values()) {
            if (k.defaultValue() != null) {
                defaults.put(k.key(), k.defaultValue());
            }
        }
        this.env = new MapConfiguration(mapped);
        this.file = file == null ? new PropertiesConfiguration() : file;
        this.fileName = fileName;
        all.addConfiguration(env);
        all.addConfiguration(this.file);
        all.addConfiguration(new MapConfiguration(defaults));
    }

    /**
     * Reads the bootstrap.
     *
     * @param explicitFile {@code --config FILE}, or {@code null}: then {@code defaultFile} is read if it exists
     * @param defaultFile  normally {@link #DEFAULT_FILE}
     * @param environment  normally {@link System#getenv()}
     * @throws StartupException exit code 2: the file cannot be read, or values are invalid (all listed)
     */
    public static NodeBootstrap read(Path explicitFile, Path defaultFile, Map<String, String> environment)
            throws StartupException {
        Path path = explicitFile != null ? explicitFile : Files.exists(defaultFile) ? defaultFile : null;
        PropertiesConfiguration properties = null;
        String source;
        if (path == null) {
            source = "embedded defaults (no " + defaultFile + ")";
        } else {
            properties = load(path);
            source = path.toAbsolutePath().toString();
            warnUnknownKeys(properties, path);
        }
        return new BootstrapReader(environment, properties, path == null ? null : source).parse(source);
    }

    private static PropertiesConfiguration load(Path path) throws StartupException {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new StartupException(UNREADABLE_FILE, ExitCodes.USAGE, "cannot read the node bootstrap file "
                    + path.toAbsolutePath() + ": no such readable file; check the --config path");
        }
        try {
            return new Configurations().properties(path.toFile());
        } catch (ConfigurationException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StartupException(UNREADABLE_FILE, ExitCodes.USAGE, "cannot read the node bootstrap file "
                    + path.toAbsolutePath() + ": " + root.getMessage() + "; fix the file's syntax", e);
        }
    }

    private static void warnUnknownKeys(PropertiesConfiguration properties, Path path) {
        for (Iterator<String> keys = properties.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (BootstrapKey.of(key) == null) {
                log.warn("{} unknown key '{}' in {}: ignored; the keys are documented in the default duet.properties",
                        UNKNOWN_KEY, key, path);
            }
        }
    }

    private NodeBootstrap parse(String source) throws StartupException {
        String nodeId = text(BootstrapKey.NODE_ID);
        if (nodeId == null) {
            nodeId = hostName();
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            problem(BootstrapKey.NODE_ID, nodeId, "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Path dataDir = path(BootstrapKey.DATA_DIR);
        Path configFile = path(BootstrapKey.CONFIG_FILE);
        if (dataDir != null) {
            dataDir = dataDir.toAbsolutePath().normalize();
            configFile = configFile == null ? null : dataDir.resolve(configFile).normalize();
        }
        String proxyAddress = address(BootstrapKey.PROXY_ADDRESS);
        int proxyPort = integer(BootstrapKey.PROXY_PORT, 0, 65535);
        int proxyTlsPort = integer(BootstrapKey.PROXY_TLS_PORT, 0, 65535);
        String managementAddress = address(BootstrapKey.MANAGEMENT_ADDRESS);
        int managementPort = integer(BootstrapKey.MANAGEMENT_PORT, 0, 65535);
        int ioThreads = integer(BootstrapKey.IO_THREADS, 0, 1024);
        int historyPeriodMs = integer(BootstrapKey.METRICS_HISTORY_PERIOD_MS, 100, 60_000);
        String adminAddress = address(BootstrapKey.ADMIN_ADDRESS);
        int adminPort = integer(BootstrapKey.ADMIN_PORT, 0, 65535);
        String logLevel = text(BootstrapKey.LOG_LEVEL);
        logLevel = logLevel == null ? null : logLevel.toUpperCase(Locale.ROOT);
        if (logLevel == null || !LOG_LEVELS.contains(logLevel)) {
            problem(BootstrapKey.LOG_LEVEL, logLevel, "TRACE, DEBUG, INFO, WARN, ERROR or OFF");
        }
        java.util.Map<String, String> members = new java.util.TreeMap<>();
        String m = text(BootstrapKey.CLUSTER_MEMBERS);
        if (m != null) {
            for (String part : m.split(",")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                int colon = p.lastIndexOf(':');
                if (eq <= 0 || colon < eq + 2 || !p.substring(colon + 1).matches("[0-9]{1,5}")) {
                    problem(BootstrapKey.CLUSTER_MEMBERS, m, "id=host:port pairs separated by commas, e.g. "
                            + "a=10.0.0.1:9700,b=10.0.0.2:9700,w=10.0.0.3:9700");
                    break;
                }
                members.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
            }
            if (!members.isEmpty() && !members.containsKey(nodeId)) {
                problem(BootstrapKey.CLUSTER_MEMBERS, m, "a list that names this node (node.id " + nodeId + ")");
            }
            if (!members.isEmpty() && members.size() != 1 && members.size() != 3 && members.size() != 5) {
                problem(BootstrapKey.CLUSTER_MEMBERS, m, "1, 3 or 5 members (two proxies and a witness)");
            }
        }
        String iface = text(BootstrapKey.CLUSTER_INTERFACE);
        if (iface != null && !INTERFACE_NAME.matcher(iface).matches()) {
            problem(BootstrapKey.CLUSTER_INTERFACE, iface, "a network interface name: 1-15 letters, digits, '.', '_', "
                    + "'-' or '@' (a '#' comment belongs on a line of its own)");
            iface = null;
        }
        int joinPort = integer(BootstrapKey.CLUSTER_JOIN_PORT, 1, 65535);
        if (!problems.isEmpty()) {
            throw new StartupException(INVALID_VALUE, ExitCodes.USAGE, problems);
        }
        return new NodeBootstrap(nodeId, dataDir, configFile, proxyAddress, proxyPort, proxyTlsPort, managementAddress,
                managementPort, ioThreads, logLevel, source, members, iface, joinPort, adminAddress, adminPort,
                historyPeriodMs);
    }

    /** The trimmed value, or {@code null} when unset or blank. */
    private String text(BootstrapKey key) {
        String v;
        try {
            v = all.getString(key.key());
        } catch (RuntimeException e) { // a broken ${...} interpolation
            problem(key, all.getProperty(key.key()), "a value without broken ${...} references: " + e.getMessage());
            return null;
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private Path path(BootstrapKey key) {
        String v = text(key);
        if (v == null) {
            problem(key, "", "a file system path");
            return null;
        }
        try {
            return Path.of(v);
        } catch (RuntimeException e) {
            problem(key, v, "a file system path");
            return null;
        }
    }

    private String address(BootstrapKey key) {
        String v = text(key);
        if (v == null || v.chars().anyMatch(Character::isWhitespace)) {
            problem(key, v == null ? "" : v, "an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0");
            return v;
        }
        return v;
    }

    private int integer(BootstrapKey key, int min, int max) {
        String v = text(key);
        String expected = "an integer " + min + "-" + max;
        if (v == null) {
            problem(key, "", expected);
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, v, expected);
        return 0;
    }

    private void problem(BootstrapKey key, Object value, String expected) {
        problems.add(key.key() + ": " + value + " (expected: " + expected + "; set " + origin(key) + ")");
    }

    private String origin(BootstrapKey key) {
        if (env.containsKey(key.key())) {
            return "by the environment variable " + key.envName();
        }
        if (file.containsKey(key.key())) {
            return "in " + fileName;
        }
        return "by the embedded default";
    }

    /** The host name of this machine, the default node id; {@code duet} when it cannot be found. */
    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            String shortName = dot > 0 ? name.substring(0, dot) : name;
            return NODE_ID.matcher(shortName).matches() ? shortName : "duet";
        } catch (UnknownHostException e) {
            return "duet";
        }
    }
}
