package io.duet.appliance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.appliance.node.PrivateFilesCheck;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The configuration document holds password hashes, token hashes and sealed keys: every file a standalone node and
 * its commands write with it is 0600 (real files, real node), the operator's hand-written original is kept once, and
 * a node warns at start about such files that others may read.
 */
class PrivateFilesTest {
    @TempDir
    Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger checkLogger;

    @BeforeEach
    void capture() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "needs a file system with POSIX permissions");
        checkLogger = (Logger) LoggerFactory.getLogger(PrivateFilesCheck.class);
        logs.list = new CopyOnWriteArrayList<>();
        logs.start();
        checkLogger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
        if (checkLogger != null) {
            checkLogger.detachAppender(logs);
        }
    }

    private Map<String, String> env() {
        return LoopbackNodes.env("private-node", dir.resolve("data"), 1);
    }

    private Node start() throws StartupException {
        Node n = Node.start(BootstrapReader.read(null, dir.resolve("absent.properties"), env()), false);
        nodes.add(n);
        return n;
    }

    private String cli(String... args) {
        picocli.CommandLine cmd = Main.commandLine(env(), dir.resolve("absent.properties"));
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        assertThat(cmd.execute(args)).as(out.toString()).isZero();
        return out.toString();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("DUET-NODE-0040"))
                .toList();
    }

    // A first start writes the default document itself (0600); adding the first admin rewrites it with nothing of
    // the operator's to keep: no .orig, no warning.
    @Test
    void aFirstStartKeepsNoOriginal() throws Exception {
        Node node = start();
        Path data = dir.resolve("data");
        await().atMost(Duration.ofSeconds(20)).until(() -> !node.store().current().admin().users().isEmpty());
        assertThat(mode(data.resolve("config.json"))).isEqualTo("rw-------");
        assertThat(data.resolve("config.json.orig")).doesNotExist();
        assertThat(warnings()).isEmpty();
    }

    // A hand-written document readable by everyone and an old backup: the node warns about both at start; when it
    // adds the first admin it rewrites the document 0600 and keeps the operator's file once as config.json.orig
    // (0600); export -o, backup and restore's copy of the replaced document are 0600; a restart finds nothing.
    @Test
    void theDocumentItsCopiesAndBackupsArePrivate() throws Exception {
        Path data = dir.resolve("data");
        Path config = data.resolve("config.json");
        Files.createDirectories(data.resolve("backups"));
        DuetConfig welcome = EmbeddedDocuments.welcome(BootstrapReader.read(null, dir.resolve("absent.properties"),
                env()));
        String handWritten = ConfigCodec.encode(welcome, ConfigCodec.Format.JSON).replace("\n", "\n  ") + "\n";
        Files.writeString(config, handWritten);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Path oldBackup = data.resolve("backups").resolve("old.zip");
        Files.writeString(oldBackup, "an old backup");
        Files.setPosixFilePermissions(oldBackup, PosixFilePermissions.fromString("rw-r-----"));

        Node node = start();
        assertThat(warnings()).containsExactlyInAnyOrder(
                "DUET-NODE-0040 " + config + " is readable by others (mode rw-r--r--): it holds password hashes, API "
                        + "token hashes and sealed keys; chmod 600 " + config + " (Duet writes it 0600)",
                "DUET-NODE-0040 " + oldBackup + " is readable by others (mode rw-r-----): it holds the "
                        + "configuration, the data key and the cluster identity; chmod 600 " + oldBackup
                        + " (Duet writes it 0600)");

        await().atMost(Duration.ofSeconds(20)).until(() -> !node.store().current().admin().users().isEmpty()
                && Files.exists(data.resolve("admin-password")));
        assertThat(mode(config)).isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains("argon2id");
        Path orig = data.resolve("config.json.orig");
        assertThat(Files.readString(orig)).isEqualTo(handWritten);
        assertThat(mode(orig)).isEqualTo("rw-------");
        assertThat(mode(data.resolve("admin-password"))).isEqualTo("rw-------");

        Path exported = dir.resolve("exported.yaml");
        cli("config", "export", "-o", exported.toString());
        assertThat(mode(exported)).isEqualTo("rw-------");
        Path backup = dir.resolve("b.zip");
        cli("backup", "-o", backup.toString());
        assertThat(mode(backup)).isEqualTo("rw-------");

        node.close();
        cli("restore", "--force", backup.toString());
        assertThat(mode(config)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(data)) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().startsWith("config.json.before-restore-"))
                    .toList();
            assertThat(kept).hasSize(1).allSatisfy(p -> assertThat(mode(p)).isEqualTo("rw-------"));
        }
        assertThat(Files.readString(orig)).as("kept once, never replaced").isEqualTo(handWritten);

        Files.setPosixFilePermissions(oldBackup, PosixFilePermissions.fromString("rw-------"));
        logs.list.clear();
        start();
        assertThat(warnings()).isEmpty();
    }
}
