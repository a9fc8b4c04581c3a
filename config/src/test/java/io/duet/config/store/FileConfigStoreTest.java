package io.duet.config.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigCodec.Format;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.Violation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.forward;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class FileConfigStoreTest {
    @TempDir
    Path dir;

    private final List<FileConfigStore> stores = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger storeLogger;

    @BeforeEach
    void captureLogs() {
        storeLogger = (Logger) LoggerFactory.getLogger(FileConfigStore.class);
        logs.list = new CopyOnWriteArrayList<>(); // appended by the watch thread while the test reads it
        logs.start();
        storeLogger.addAppender(logs);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(FileConfigStore::close);
        storeLogger.detachAppender(logs);
    }

    static DuetConfig doc(long revision, int serverPort) {
        return document().revision(revision)
                .listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(virtualHost("v").defaultHost().route(forward("all", RouteMatch.any(), "p")))
                .pool(pool("p").server("127.0.0.1", serverPort))
                .build();
    }

    Path write(String name, DuetConfig config) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, ConfigCodec.encode(config, Format.ofFileName(name)));
        return file;
    }

    FileConfigStore open(Path file) throws Exception {
        FileConfigStore store = FileConfigStore.open(file);
        stores.add(store);
        return store;
    }

    static DuetConfig readFile(Path file) throws Exception {
        return ConfigCodec.decode(Files.readString(file), Format.ofFileName(file.getFileName().toString()));
    }

    // Opening reads and validates the file; the document and its revision are current.
    @Test
    void opensAValidFile() throws Exception {
        Path file = write("duet.yaml", doc(3, 9000));
        FileConfigStore store = open(file);
        assertThat(store.current()).isEqualTo(doc(3, 9000));
        assertThat(store.history()).containsExactly(doc(3, 9000));
    }

    // An invalid file refuses to open, with every violation and its path.
    @Test
    void invalidFileRefusesToOpen() throws Exception {
        Path file = dir.resolve("duet.json");
        Files.writeString(file, "{\"listeners\": [], \"pools\": [{\"name\": \"p\", \"servers\": [null]}]}");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> FileConfigStore.open(file));
        assertThat(e).isNotNull();
        assertThat(e.violations()).extracting(Violation::path).contains("$.listeners", "$.pools[0].servers[0]");
        Files.writeString(file, "{\"listeners\": [");
        assertThatThrownBy(() -> FileConfigStore.open(file)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("DUET-CONFIG-0001");
    }

    // An edit of the file becomes the next revision and reaches subscribers.
    @Test
    void editIsPickedUpAndNotified() throws Exception {
        Path file = write("duet.yaml", doc(1, 9000));
        FileConfigStore store = open(file);
        List<DuetConfig> seen = new CopyOnWriteArrayList<>();
        store.subscribe(seen::add);

        write("duet.yaml", doc(1, 9001));
        await().untilAsserted(() -> assertThat(seen).containsExactly(doc(2, 9001)));
        assertThat(store.current()).isEqualTo(doc(2, 9001));

        // a higher revision written in the file is kept
        write("duet.yaml", doc(10, 9002));
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(10, 9002)));
        assertThat(seen).containsExactly(doc(2, 9001), doc(10, 9002));
        assertThat(store.history()).extracting(DuetConfig::revision).containsExactly(10L, 2L, 1L);
    }

    // An invalid edit is logged with DUET-CONFIG-0100 and every violation; the current document stays.
    @Test
    void invalidEditIsRejectedAndCurrentKept() throws Exception {
        Path file = write("duet.json", doc(5, 9000));
        FileConfigStore store = open(file);
        List<DuetConfig> seen = new CopyOnWriteArrayList<>();
        store.subscribe(seen::add);

        Files.writeString(file, ConfigCodec.encode(doc(5, 70000), Format.JSON).replace("\"http\"", "\"https\""));
        await().untilAsserted(() -> assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .startsWith("DUET-CONFIG-0100 config file " + file + " rejected, still running revision 5:")
                    .contains("$.pools[0].servers[0].port: port: 70000 (expected: 1-65535)")
                    .contains("$.listeners[0].tls");
        }));
        assertThat(store.current()).isEqualTo(doc(5, 9000));
        assertThat(seen).isEmpty();

        // still watching: the next valid edit is taken
        write("duet.json", doc(5, 9001));
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(6, 9001)));
        assertThat(seen).containsExactly(doc(6, 9001));
    }

    // Rewriting the same bytes, or the same document in another layout, is not a new revision.
    @Test
    void unchangedContentIsNotANewRevision() throws Exception {
        Path file = write("duet.yaml", doc(1, 9000));
        FileConfigStore store = open(file);
        List<DuetConfig> seen = new CopyOnWriteArrayList<>();
        store.subscribe(seen::add);

        long checks = store.fileChecks();
        Files.write(file, Files.readAllBytes(file));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        await().until(() -> store.fileChecks() > checks);

        long checks2 = store.fileChecks();
        Files.writeString(file, "# same document, other layout\n" + ConfigCodec.encode(doc(1, 9000), Format.YAML)
                .replace("port: 0", "port:   0"));
        await().until(() -> store.fileChecks() > checks2);

        assertThat(store.current().revision()).isEqualTo(1);
        assertThat(seen).isEmpty();
        assertThat(store.history()).hasSize(1);
    }

    // An editor-style save (write a temporary file, rename it over the original) is detected.
    @Test
    void renameSwapIsDetected() throws Exception {
        Path file = write("duet.yaml", doc(1, 9000));
        FileConfigStore store = open(file);

        Path swap = dir.resolve(".duet.yaml.swp");
        Files.writeString(swap, ConfigCodec.encode(doc(1, 9001), Format.YAML));
        Files.move(swap, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(2, 9001)));

        // vim-like: move the original away, write a new file under the name
        Files.move(file, dir.resolve("duet.yaml~"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(file, ConfigCodec.encode(doc(1, 9002), Format.YAML));
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(3, 9002)));
    }

    // propose validates, writes the file atomically in its format, commits baseRevision + 1 and notifies.
    @Test
    void proposeWritesAtomicallyAndCommits() throws Exception {
        Path file = write("duet.json", doc(7, 9000));
        FileConfigStore store = open(file);
        List<DuetConfig> seen = new CopyOnWriteArrayList<>();
        store.subscribe(seen::add);

        long checks = store.fileChecks();
        DuetConfig committed = store.propose(doc(0, 9005), 7);

        assertThat(committed).isEqualTo(doc(8, 9005));
        assertThat(store.current()).isEqualTo(doc(8, 9005));
        assertThat(Files.readString(file)).startsWith("{\n  \"revision\": 8,");
        assertThat(readFile(file)).isEqualTo(doc(8, 9005));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
        await().untilAsserted(() -> assertThat(seen).containsExactly(doc(8, 9005)));

        // the watcher sees our own write (a check by propose, then one for the rename event) and ignores it
        await().until(() -> store.fileChecks() >= checks + 2);
        assertThat(store.current().revision()).isEqualTo(8);
        assertThat(seen).hasSize(1);
    }

    // A proposal based on an old revision conflicts; an invalid one is refused; neither touches the file.
    @Test
    void proposeConflictsAndValidates() throws Exception {
        Path file = write("duet.yaml", doc(2, 9000));
        FileConfigStore store = open(file);
        String before = Files.readString(file);

        RevisionConflictException conflict = catchThrowableOfType(RevisionConflictException.class,
                () -> store.propose(doc(0, 9001), 1));
        assertThat(conflict).isNotNull();
        assertThat(conflict.expected()).isEqualTo(1);
        assertThat(conflict.actual()).isEqualTo(2);
        assertThat(conflict).hasMessageStartingWith("DUET-CONFIG-0409");

        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class,
                () -> store.propose(doc(0, 0), 2));
        assertThat(invalid.violations()).extracting(Violation::path).containsExactly("$.pools[0].servers[0].port");

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(store.current()).isEqualTo(doc(2, 9000));
    }

    // An edit of the file not yet picked up is loaded before a proposal, which then conflicts instead of overwriting it.
    @Test
    void proposeDoesNotOverwriteAnUnseenEdit() throws Exception {
        Path file = write("duet.yaml", doc(1, 9000));
        FileConfigStore store = open(file);
        write("duet.yaml", doc(1, 9001));
        // whether or not the watcher got there first, the proposal based on revision 1 must lose
        assertThatThrownBy(() -> store.propose(doc(0, 9002), 1)).isInstanceOf(RevisionConflictException.class);
        assertThat(store.current()).isEqualTo(doc(2, 9001));
        assertThat(readFile(file)).isEqualTo(doc(1, 9001));
    }

    // The document holds password and token hashes: a hand-written file readable by everyone (0644) is rewritten
    // 0600, and the operator's original is kept once beside it (0600), never replaced by later rewrites or edits.
    @Test
    void rewritesArePrivateAndTheHandWrittenOriginalIsKeptOnce() throws Exception {
        assumePosix();
        Path file = dir.resolve("duet.yaml");
        String handWritten = "# my pair's configuration\n" + ConfigCodec.encode(doc(1, 9000), Format.YAML);
        Files.writeString(file, handWritten);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FileConfigStore store = open(file);

        store.propose(doc(0, 9001), 1);

        Path orig = dir.resolve("duet.yaml.orig");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(orig)).isEqualTo("rw-------");
        assertThat(Files.readString(orig)).isEqualTo(handWritten);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("DUET-CONFIG-0330 config file " + file) && m.contains(orig.toString()));

        // A second rewrite, then a later hand edit and its rewrite: the first original stays as it was.
        store.propose(doc(0, 9002), 2);
        Files.writeString(file, "# edited again\n" + ConfigCodec.encode(doc(3, 9003), Format.YAML));
        await().untilAsserted(() -> assertThat(store.current().revision()).isEqualTo(4));
        store.propose(doc(0, 9004), 4);
        assertThat(Files.readString(orig)).isEqualTo(handWritten);
        assertThat(mode(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(file, orig); // no temporary file left behind
        }
    }

    // A file in Duet's own encoding (written by Duet: the first start's document, an earlier commit) has nothing
    // of the operator's to keep: no .orig, also after a restart of the store.
    @Test
    void aFileInDuetsOwnEncodingIsNotKept() throws Exception {
        Path file = write("duet.json", doc(1, 9000));
        FileConfigStore first = open(file);
        first.propose(doc(0, 9001), 1);
        first.close();
        FileConfigStore again = open(file);
        again.propose(doc(0, 9002), 2);
        assertThat(Files.exists(dir.resolve("duet.json.orig"))).isFalse();
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "needs a file system with POSIX permissions");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    // History keeps the last 50 commits, newest first; a failing subscriber does not stop the others.
    @Test
    void historyIsBoundedAndSubscribersAreIsolated() throws Exception {
        Path file = write("duet.yaml", doc(0, 1000));
        FileConfigStore store = open(file);
        List<Long> seen = new CopyOnWriteArrayList<>();
        store.subscribe(c -> {
            throw new IllegalStateException("subscriber bug");
        });
        store.subscribe(c -> seen.add(c.revision()));
        for (int i = 1; i <= 60; i++) {
            store.propose(doc(0, 1000 + i), i - 1);
        }
        List<DuetConfig> history = store.history();
        assertThat(history).hasSize(FileConfigStore.HISTORY_SIZE);
        assertThat(history.get(0)).isEqualTo(store.current()).isEqualTo(doc(60, 1060));
        assertThat(history.get(49).revision()).isEqualTo(11);
        await().untilAsserted(() -> assertThat(seen).hasSize(60));
        assertThat(seen).isSorted().first().isEqualTo(1L);
    }

    // Closing stops the watch thread.
    @Test
    void closeStopsTheWatcher() throws Exception {
        FileConfigStore store = FileConfigStore.open(write("duet.yaml", doc(1, 9000)));
        assertThat(watchThreads()).isNotEmpty();
        store.close();
        store.close(); // idempotent
        assertThat(watchThreads()).isEmpty();
        assertThatThrownBy(() -> store.propose(doc(0, 9001), 1)).isInstanceOf(IllegalStateException.class);
    }

    private static List<Thread> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("duet-config-watch") && t.isAlive()).toList();
    }

    // A file that is not UTF-8 is rejected with a clear message.
    @Test
    void nonUtf8FileIsRejected() throws Exception {
        Path file = dir.resolve("duet.yaml");
        Files.write(file, ("revision: 1\nlisteners: [{name: \"" + new String(new char[] {'x'}) + "\"}]\n")
                .getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] = (byte) 0xff;
        Files.write(file, bytes);
        assertThatThrownBy(() -> FileConfigStore.open(file)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not UTF-8");
    }
}
