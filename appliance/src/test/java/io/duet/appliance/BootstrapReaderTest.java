package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapKey;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapReaderTest {
    @TempDir
    Path dir;

    private Path absent() {
        return dir.resolve("no-such-duet.properties");
    }

    private Path file(String text) throws IOException {
        Path f = dir.resolve("duet.properties");
        Files.writeString(f, text);
        return f;
    }

    // With no file and no environment, the embedded defaults apply (single node, ./duet-data, 8080, 127.0.0.1:9901).
    // A comment copied into the value of cluster.interface (from the properties block in docs/pair.md) is refused
    // at start with DUET-NODE-0001, instead of a node that fails every VIP claim (issue 16, paper cuts).
    @Test
    void clusterInterfaceWithStrayTextIsRefused() throws Exception {
        Path f = file("node.id = a\ncluster.members = a=127.0.0.1:9700\n"
                + "cluster.interface = eth0          # empty on the witness\n");
        assertThatThrownBy(() -> BootstrapReader.read(f, absent(), Map.of()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("DUET-NODE-0001")
                .hasMessageContaining("cluster.interface: eth0          # empty on the witness");
        NodeBootstrap ok = BootstrapReader.read(file("node.id = a\ncluster.members = a=127.0.0.1:9700\n"
                + "cluster.interface = lo\n"), absent(), Map.of());
        assertThat(ok.clusterInterface()).isEqualTo("lo");
    }

    // A member whose cluster.interface does not exist on the machine does not start (DUET-NODE-0001).
    @Test
    void clusterInterfaceThatDoesNotExistStopsTheStart() throws Exception {
        NodeBootstrap b = BootstrapReader.read(file("node.id = a\ncluster.members = a=127.0.0.1:9700\n"
                + "cluster.interface = nosuchif0\n"), absent(), Map.of());
        assertThatThrownBy(() -> Node.requireInterface(b)).isInstanceOf(StartupException.class)
                .hasMessageContaining("DUET-NODE-0001").hasMessageContaining("nosuchif0");
        NodeBootstrap lo = BootstrapReader.read(file("node.id = a\ncluster.members = a=127.0.0.1:9700\n"
                + "cluster.interface = lo\n"), absent(), Map.of());
        Node.requireInterface(lo); // loopback exists everywhere
    }

    @Test
    void embeddedDefaults() throws Exception {
        NodeBootstrap b = BootstrapReader.read(null, absent(), Map.of());

        Path dataDir = Path.of("duet-data").toAbsolutePath().normalize();
        assertThat(b.dataDir()).isEqualTo(dataDir);
        assertThat(b.configFile()).isEqualTo(dataDir.resolve("config.json"));
        assertThat(b.demoConfigFile()).isEqualTo(dataDir.resolve("demo-config.json"));
        assertThat(b.proxyAddress()).isEqualTo("0.0.0.0");
        assertThat(b.proxyPort()).isEqualTo(8080);
        assertThat(b.managementAddress()).isEqualTo("127.0.0.1");
        assertThat(b.managementPort()).isEqualTo(9901);
        assertThat(b.ioThreads()).isZero();
        assertThat(b.logLevel()).isEqualTo("INFO");
        assertThat(b.nodeId()).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
        assertThat(b.source()).startsWith("embedded defaults");
    }

    // Values from the file are used; a relative config.file resolves against data.dir.
    @Test
    void fileValues() throws Exception {
        Path f = file("node.id = proxy-a\ndata.dir = " + dir.resolve("data") + "\nconfig.file = conf/app.yaml\n"
                + "proxy.port = 18080\nmanagement.address = 0.0.0.0\nmanagement.port=19901\nio.threads=4\n"
                + "log.level = debug\n");

        NodeBootstrap b = BootstrapReader.read(f, absent(), Map.of());

        assertThat(b.nodeId()).isEqualTo("proxy-a");
        assertThat(b.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(b.configFile()).isEqualTo(dir.resolve("data/conf/app.yaml"));
        assertThat(b.proxyPort()).isEqualTo(18080);
        assertThat(b.managementAddress()).isEqualTo("0.0.0.0");
        assertThat(b.managementPort()).isEqualTo(19901);
        assertThat(b.ioThreads()).isEqualTo(4);
        assertThat(b.logLevel()).isEqualTo("DEBUG");
        assertThat(b.source()).isEqualTo(f.toAbsolutePath().toString());
    }

    // An absolute config.file is kept as it is.
    @Test
    void absoluteConfigFile() throws Exception {
        Path doc = dir.resolve("elsewhere/config.json");
        NodeBootstrap b = BootstrapReader.read(file("config.file=" + doc + "\n"), absent(), Map.of());

        assertThat(b.configFile()).isEqualTo(doc);
    }

    // DUET_NODE_ID overrides node.id (upper case, dots to underscores, DUET_ prefix); the file fills the rest.
    @Test
    void environmentOverridesFile() throws Exception {
        Path f = file("node.id = from-file\nmanagement.port = 19901\nproxy.port = 18080\n");
        Map<String, String> env = Map.of("DUET_NODE_ID", "from-env", "DUET_MANAGEMENT_PORT", "29901",
                "DUET_DATA_DIR", dir.resolve("envdata").toString(), "UNRELATED", "x");

        NodeBootstrap b = BootstrapReader.read(f, absent(), env);

        assertThat(b.nodeId()).isEqualTo("from-env");
        assertThat(b.managementPort()).isEqualTo(29901);
        assertThat(b.proxyPort()).isEqualTo(18080);
        assertThat(b.dataDir()).isEqualTo(dir.resolve("envdata"));
        assertThat(b.configFile()).isEqualTo(dir.resolve("envdata/config.json"));
    }

    // Environment variables override the embedded defaults when there is no file at all.
    @Test
    void environmentOverridesDefaults() throws Exception {
        NodeBootstrap b = BootstrapReader.read(null, absent(), Map.of("DUET_PROXY_PORT", "0", "DUET_IO_THREADS", "2"));

        assertThat(b.proxyPort()).isZero();
        assertThat(b.ioThreads()).isEqualTo(2);
    }

    // Without --config, the default file (/etc/duet/duet.properties in production) is read when it exists.
    @Test
    void defaultFileIsReadWhenPresent() throws Exception {
        Path f = file("node.id = from-default-file\n");

        NodeBootstrap b = BootstrapReader.read(null, f, Map.of());

        assertThat(b.nodeId()).isEqualTo("from-default-file");
        assertThat(b.source()).isEqualTo(f.toAbsolutePath().toString());
    }

    // Values may use Commons Configuration interpolation such as ${sys:...}.
    @Test
    void interpolation() throws Exception {
        System.setProperty("duet.test.base", dir.toString());
        try {
            NodeBootstrap b = BootstrapReader.read(file("data.dir = ${sys:duet.test.base}/interp\n"), absent(), Map.of());
            assertThat(b.dataDir()).isEqualTo(dir.resolve("interp"));
        } finally {
            System.clearProperty("duet.test.base");
        }
    }

    // Every invalid value is reported at once with DUET-NODE-0001, its key and where it was set; exit code 2.
    @Test
    void invalidValuesAreAllReported() throws Exception {
        Path f = file("management.port = abc\nio.threads = -1\nnode.id = bad id!\nlog.level = loud\n");

        assertThatThrownBy(() -> BootstrapReader.read(f, absent(), Map.of("DUET_PROXY_PORT", "70000")))
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.id()).isEqualTo("DUET-NODE-0001");
                    assertThat(e.getMessage().lines()).allMatch(l -> l.startsWith("DUET-NODE-0001 "));
                    assertThat(e.getMessage()).contains(
                            "proxy.port: 70000 (expected: an integer 0-65535; set by the environment variable DUET_PROXY_PORT)",
                            "management.port: abc (expected: an integer 0-65535; set in " + f.toAbsolutePath() + ")",
                            "io.threads: -1 (expected: an integer 0-1024",
                            "node.id: bad id!",
                            "log.level: LOUD");
                });
    }

    // A --config file that does not exist is DUET-NODE-0002, exit code 2.
    @Test
    void missingExplicitFile() {
        assertThatThrownBy(() -> BootstrapReader.read(dir.resolve("missing.properties"), absent(), Map.of()))
                .isInstanceOfSatisfying(StartupException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith("DUET-NODE-0002 ").contains("missing.properties");
                });
    }

    // The shipped, commented duet.properties documents every key with exactly the embedded default.
    @Test
    void shippedFileDocumentsEveryKeyWithItsDefault() throws IOException {
        String text;
        try (InputStream in = BootstrapReaderTest.class.getResourceAsStream("/io/duet/appliance/duet.properties")) {
            assertThat(in).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> documented = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#([a-z]+(?:\\.[a-z]+)+) =(.*)$").matcher(text);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).trim());
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(BootstrapKey.values()).map(BootstrapKey::key).collect(Collectors.toSet()));
        for (BootstrapKey k : BootstrapKey.values()) {
            if (k.defaultValue() != null) {
                assertThat(documented.get(k.key())).as(k.key()).isEqualTo(k.defaultValue());
            }
        }
        assertThat(text).doesNotContainPattern("(?m)^[a-z]"); // nothing active: the file only documents
    }
}
