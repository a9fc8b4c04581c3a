package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The operator's commands against a real standalone node: status (running or not), backup while it runs, restore
 * refused while it runs, a second node on the same data directory refused, restore onto the stopped node (a rebuilt
 * machine), --force, version, config validate.
 */
class OpsCommandsTest {
    @TempDir
    Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private int managementPort;

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    private Map<String, String> env() {
        return new HashMap<>(Map.of(
                "DUET_NODE_ID", "ops-node",
                "DUET_DATA_DIR", dir.resolve("data").toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", Integer.toString(managementPort),
                "DUET_ADMIN_ADDRESS", "127.0.0.1",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", "1"));
    }

    private record Result(int exit, String out) {
    }

    private Result cli(String... args) {
        picocli.CommandLine cmd = Main.commandLine(env(), dir.resolve("absent.properties"));
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        return new Result(cmd.execute(args), out.toString());
    }

    private Node start() throws StartupException {
        Node n = Node.start(BootstrapReader.read(null, dir.resolve("absent.properties"), env()), false);
        nodes.add(n);
        return n;
    }

    @Test
    void statusBackupRestore() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            managementPort = s.getLocalPort();
        }
        Result before = cli("status");
        assertThat(before.exit()).isEqualTo(ExitCodes.STARTUP);
        assertThat(before.out()).contains("node ops-node (standalone)", "process: not answering");

        Node node = start();
        // The node creates its first admin user with a commit of its own, on its own thread: the revision every
        // command below reports is the one after it (this test raced it and saw 1 or 2).
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.store().current().admin().users().isEmpty());
        long rev = node.store().current().revision();
        Result status = cli("status");
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains("process: running", "configuration: revision " + rev + " in ");

        Path backup = dir.resolve("out").resolve("ops.zip");
        Result b = cli("backup", "-o", backup.toString());
        assertThat(b.exit()).as(b.out()).isZero();
        assertThat(b.out()).contains("written to " + backup, "configuration revision " + rev);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        Path keys = dir.resolve("data").resolve("keys");
        List<String> keyFiles;
        try (var walk = Files.walk(keys)) {
            keyFiles = walk.filter(Files::isRegularFile).map(p -> keys.relativize(p).toString()).sorted().toList();
        }
        assertThat(keyFiles).isNotEmpty();
        Map<String, byte[]> keyBytes = new HashMap<>();
        for (String k : keyFiles) {
            keyBytes.put(k, Files.readAllBytes(keys.resolve(k)));
        }
        try (ZipFile z = new ZipFile(backup.toFile())) {
            List<String> names = z.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).contains("duet-backup.properties", "config.json");
            keyFiles.forEach(k -> assertThat(names).contains("data/keys/" + k));
        }

        Result whileRunning = cli("restore", backup.toString());
        assertThat(whileRunning.exit()).isEqualTo(ExitCodes.STARTUP);
        assertThat(whileRunning.out()).contains("DUET-CLI-0017", "running");
        assertThatThrownBy(this::start).isInstanceOf(StartupException.class)
                .hasMessageContaining("DUET-NODE-0027");

        // The machine is rebuilt: keys and configuration gone. Restore, start, same data key.
        node.close();
        Path config = dir.resolve("data").resolve("config.json");
        try (var walk = Files.walk(keys)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.delete(config);
        Result restored = cli("restore", backup.toString());
        assertThat(restored.exit()).as(restored.out()).isZero();
        assertThat(restored.out()).contains("restored the backup of node ops-node", "configuration revision " + rev
                + " is");
        for (String k : keyFiles) {
            assertThat(Files.readAllBytes(keys.resolve(k))).as(k).isEqualTo(keyBytes.get(k));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(k))))
                    .isEqualTo("rw-------");
        }
        assertThat(config).exists();

        Result again = cli("restore", backup.toString());
        assertThat(again.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.out()).contains("DUET-CLI-0017", "--force");
        Result forced = cli("restore", "--force", backup.toString());
        assertThat(forced.exit()).as(forced.out()).isZero();
        try (var list = Files.list(dir.resolve("data"))) {
            assertThat(list.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("keys.before-restore-"));
        }
        Node back = start();
        assertThat(back.store().current().revision()).isEqualTo(rev);

        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "not a zip");
        Result bad = cli("restore", junk.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.out()).contains("DUET-CLI-0018");
    }

    @Test
    void versionAndValidate() throws Exception {
        Result v = cli("version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("Duet " + Version.current()).contains("Java ");
        Path example = dir.resolve("example.yaml");
        assertThat(cli("example").out()).isNotEmpty();
        Files.writeString(example, cli("example").out());
        Result ok = cli("config", "validate", example.toString());
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("valid");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"listeners\":[{\"name\":\"x\",\"port\":70000}]}");
        Result bad = cli("config", "validate", broken.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID_DOCUMENT);
        assertThat(bad.out()).contains("$.listeners[0]");
    }
}
